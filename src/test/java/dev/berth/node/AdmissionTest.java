package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.scheduler.Decision;
import dev.berth.scheduler.NodeCapacity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods as the node records them, translated for the scheduler: requests, limits, priority classes. */
class AdmissionTest {

    private static final Instant T0 = Instant.parse("2026-11-29T06:00:00Z");

    @TempDir
    Path dir;

    private static PodSnapshot pod(String name, String memoryRequest, String memoryLimit, String priorityClass, int age) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("main").withImage("busybox")
                .withNewResources();
        if (memoryRequest != null) {
            container.addToRequests("memory", new Quantity(memoryRequest));
        }
        if (memoryLimit != null) {
            container.addToLimits("memory", new Quantity(memoryLimit));
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withPriorityClassName(priorityClass).addToContainers(container.endResources().build())
                .endSpec().build();
        PodRecord record = new PodRecord("default." + name + ".abc123", "default", name, List.of(),
                T0.plusSeconds(age), pod);
        return new PodSnapshot(record, PodState.unscheduled(null, null), Map.of());
    }

    private DesiredState priorityClasses() throws IOException {
        Files.writeString(dir.resolve("pc.yaml"), """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                """);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private static NodeResources memory(String bytes) {
        return new NodeResources(new NodeCapacity(2000, dev.berth.core.Quantity.parse(bytes).value().longValueExact(),
                Map.of(), List.of()));
    }

    @Test
    void aLimitStandsInForAMissingRequest() throws IOException {
        Decision d = memory("1Gi").admission(priorityClasses()).admit(List.of(),
                List.of(pod("big", null, "768Mi", null, 0), pod("small", "512Mi", null, null, 1)));
        assertEquals(List.of("default.big.abc123"), d.admitted().stream().map(k -> k.name()).toList());
        assertEquals("Insufficient memory", d.pending().get(0).reason());
    }

    @Test
    void aPriorityClassPutsAPodFirstAndPreemptsLowerOnes() throws IOException {
        PodSnapshot low = pod("low", "768Mi", null, null, 0);
        Decision d = memory("1Gi").admission(priorityClasses()).admit(List.of(low),
                List.of(pod("high", "768Mi", null, "high", 5)));
        assertEquals(List.of("default.low.abc123"), d.preempt().stream().map(k -> k.name()).toList());
    }
}
