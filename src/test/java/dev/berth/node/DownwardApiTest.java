package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.Quantity;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downward API's values as the kubelet gives them, in env vars (volume files: {@link DownwardVolumeTest}). */
class DownwardApiTest {

    /** A node of 4 CPUs, 8 GiB of memory and 100 GiB of disk. */
    static final NodeFacts NODE = new NodeFacts("node-a", List.of("192.0.2.10"), 4000, 8L << 30, 100L << 30);

    @TempDir
    Path tmp;

    static Pod pod(String namespace, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withLabels(Map.of("app", "web", "tier", "front"))
                .withAnnotations(Map.of("note", "say \"hi\"\n", "build", "42")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withNewResources()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .endResources().endContainer()
                .addNewContainer().withName("free").endContainer().endSpec().build();
    }

    private static DownwardApi downward(Pod pod) {
        return new DownwardApi(pod, NODE);
    }

    @Test
    void everyFieldAnEnvVarMaySelect() {
        Pod pod = new PodRecord("shop.web-1.abc123", "shop", "web-1", List.of(), Instant.now(), pod("shop", "web-1")).pod();
        DownwardApi d = downward(pod);
        assertEquals("web-1", d.field("metadata.name"));
        assertEquals("shop", d.field("metadata.namespace"));
        assertEquals(pod.getMetadata().getUid(), d.field("metadata.uid"));
        assertEquals("web", d.field("metadata.labels['app']"));
        assertEquals("", d.field("metadata.labels['absent']"));
        assertEquals("42", d.field("metadata.annotations['build']"));
        assertEquals("node-a", d.field("spec.nodeName"));
        assertEquals("default", d.field("spec.serviceAccountName"), "what the ServiceAccount admission sets");
        assertEquals("192.0.2.10", d.field("status.hostIP"));
        assertEquals("192.0.2.10", d.field("status.hostIPs"));
        assertEquals("", d.field("status.podIP"), "no pod network yet");
        assertEquals("", d.field("status.podIPs"));
        assertThrows(BerthException.class, () -> d.field("spec.restartPolicy"));
    }

    @Test
    void podIpsComeFromThePodsStatusWhereTheNetworkPutsThem() {
        Pod pod = pod("shop", "web-1");
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        pod.getStatus().setPodIPs(List.of(new PodIP("10.88.0.5"), new PodIP("fd00::5")));
        assertEquals("10.88.0.5", downward(pod).field("status.podIP"));
        assertEquals("10.88.0.5,fd00::5", downward(pod).field("status.podIPs"));
    }

    @Test
    void aHostNetworkPodsIpsAreTheHosts() {
        Pod pod = pod("shop", "web-1");
        pod.getSpec().setHostNetwork(true);
        NodeFacts dualStack = new NodeFacts("node-a", List.of("192.0.2.10", "2001:db8::10"), 4000, 8L << 30, 100L << 30);
        assertEquals("192.0.2.10", new DownwardApi(pod, dualStack).field("status.podIP"));
        assertEquals("192.0.2.10,2001:db8::10", new DownwardApi(pod, dualStack).field("status.podIPs"));
    }

    @Test
    void theUidIsTheRecordsOwnAndSurvivesARestart() throws IOException {
        Pod manifest = pod("shop", "web-1");
        manifest.getMetadata().setUid("chosen-by-the-manifest");
        PodRecord record = new PodRecord("shop.web-1.abc123", "shop", "web-1", List.of(), Instant.now(), manifest);
        String uid = record.pod().getMetadata().getUid();
        assertNotEquals("chosen-by-the-manifest", uid, "an API server assigns the uid");
        record.write(tmp);
        assertEquals(uid, PodRecord.read(tmp).orElseThrow().pod().getMetadata().getUid());
        PodRecord other = new PodRecord("shop.web-1.def456", "shop", "web-1", List.of(), Instant.now(), pod("shop", "web-1"));
        assertNotEquals(uid, other.pod().getMetadata().getUid(), "a replacement pod is another pod");
    }

    @Test
    void resourcesInUnitsOfTheDivisorRoundedUp() {
        DownwardApi d = downward(pod("shop", "web-1"));
        assertEquals("250", d.resource("app", "limits.cpu", Quantity.parse("1m")));
        assertEquals("1", d.resource("app", "limits.cpu", null), "250m is one CPU, rounded up");
        assertEquals("64", d.resource("app", "limits.memory", Quantity.parse("1Mi")));
        assertEquals(Long.toString(64L << 20), d.resource("app", "limits.memory", null));
        assertEquals("68", d.resource("app", "limits.memory", Quantity.parse("1M")), "67.1 MB, rounded up");
        assertEquals("100", d.resource("app", "requests.cpu", Quantity.parse("1m")));
        assertEquals("64", d.resource("app", "requests.memory", Quantity.parse("1Mi")), "defaulted to the limit");
        assertEquals("0", d.resource("free", "requests.memory", null), "no request, no limit");
    }

    @Test
    void withoutALimitTheNodesAllocatableIsTheLimit() {
        DownwardApi d = downward(pod("shop", "web-1"));
        assertEquals("4", d.resource("free", "limits.cpu", null));
        assertEquals("4000", d.resource("free", "limits.cpu", Quantity.parse("1m")));
        assertEquals("8192", d.resource("free", "limits.memory", Quantity.parse("1Mi")));
        assertEquals("100", d.resource("app", "limits.ephemeral-storage", Quantity.parse("1Gi")));
        assertThrows(BerthException.class, () -> d.resource("nope", "limits.cpu", null));
    }

    @Test
    void wholeLabelsAndAnnotationsAreSortedQuotedLines() {
        assertEquals("app=\"web\"\ntier=\"front\"", downward(pod("shop", "p")).field("metadata.labels"));
        assertEquals("build=\"42\"\nnote=\"say \\\"hi\\\"\\n\"", downward(pod("shop", "p")).field("metadata.annotations"));
    }

    @Test
    void envVarsTakeFieldsAndTheirOwnContainersResources() throws IOException {
        DesiredState none = new ManifestLoader().load(new DirectoryTreeReader(tmp), "", null);
        Container c = new ContainerBuilder(pod("shop", "web-1").getSpec().getContainers().get(0))
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                .withDivisor(new io.fabric8.kubernetes.api.model.Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("URL").withValue("http://$(APP):$(CPU)").endEnv()
                .build();
        List<String> lines = new EnvironmentResolver(new ConfigSource(none), NODE)
                .resolve(pod("shop", "web-1"), List.of(), c).lines();
        assertEquals(List.of("APP=web", "CPU=250", "URL=http://web:250"), lines);
        Container bad = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewFieldRef().withFieldPath("status.phase").endFieldRef().endValueFrom().endEnv().build();
        BerthException e = assertThrows(BerthException.class,
                () -> new EnvironmentResolver(new ConfigSource(none), NODE).resolve(pod("shop", "p"), List.of(), bad));
        assertTrue(e.getMessage().startsWith("env X: "), e.getMessage());
    }
}
