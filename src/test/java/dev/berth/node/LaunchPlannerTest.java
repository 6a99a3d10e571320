package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.BerthException;
import dev.berth.image.ImageConfig;
import dev.berth.manifest.DesiredState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchPlannerTest {

    private final LaunchPlanner planner =
            new LaunchPlanner(new EnvironmentResolver(new ConfigSource(new DesiredState(null, List.of()))));
    private static final ImageConfig IMAGE =
            new ImageConfig(List.of(), List.of("sh"), List.of("PATH=/bin"), "/srv", "1000:1000");

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withContainers(c).endSpec().build();
    }

    @Test
    void appliesImageDefaultsAndKubernetesRules() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35").withImagePullPolicy("IfNotPresent")
                .withArgs("-c", "echo $(GREETING)").addNewEnv().withName("GREETING").withValue("hi").endEnv()
                .withNewResources().withLimits(Map.of("memory", new Quantity("32Mi"), "cpu", new Quantity("500m")))
                .endResources().addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .build();
        ContainerLaunch launch = planner.plan(pod(c), c, IMAGE);
        assertEquals(List.of("-c", "echo hi"), launch.argv(), "args replace Cmd; no Entrypoint");
        assertEquals(List.of("PATH=/bin", "GREETING=hi"), launch.env());
        assertEquals("/srv", launch.cwd());
        assertEquals(1000, launch.uid());
        assertEquals(1000, launch.gid());
        assertEquals(new ContainerLaunch.Security(false, false, true, List.of(), List.of()), launch.security());
        assertEquals(50_000, launch.limits().cpuQuota());
        assertEquals(32L << 20, launch.limits().memoryLimit());
        assertEquals(List.of(new ContainerLaunch.VolumeMount("data", "/data", null, true)), launch.volumes());
    }

    @Test
    void securityContextWinsOverTheImage() {
        Container c = new ContainerBuilder().withName("main").withImage("busybox:1.35").withCommand("sleep", "1")
                .withNewSecurityContext().withRunAsUser(0L).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withAdd("NET_ADMIN").withDrop("ALL").endCapabilities().endSecurityContext().build();
        ContainerLaunch launch = planner.plan(pod(c), c, IMAGE);
        assertEquals(List.of("sleep", "1"), launch.argv());
        assertEquals(0, launch.uid());
        assertEquals(new ContainerLaunch.Security(false, true, true, List.of("NET_ADMIN"), List.of("ALL")), launch.security());
    }

    @Test
    void nothingToRunIsAnError() {
        Container c = new ContainerBuilder().withName("main").withImage("scratch:1").build();
        ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "");
        assertEquals("container main: no command, and the image has neither Entrypoint nor Cmd",
                assertThrows(BerthException.class, () -> planner.plan(pod(c), c, empty)).getMessage());
    }
}
