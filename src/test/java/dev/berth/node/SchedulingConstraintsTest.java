package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.node.workload.PodPhase;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.testing.PodYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node affinity, nodeSelector, extended resources and scheduling gates through the node reconciler, on a node
 * labelled {@code disk: ssd} with two {@code example.com/dongle}.
 */
class SchedulingConstraintsTest {

    @TempDir
    Path dir;

    private FakeNode node;

    @BeforeEach
    void setUp() {
        node = new FakeNode(dir, new NodeResources(new NodeCapacity("edge-1", 4000, 8L << 30,
                Map.of("example.com/dongle", 2L), NodeResources.wellKnownLabels("edge-1", Map.of("disk", "ssd")),
                List.of())));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private static boolean running(PodSnapshot pod) {
        return pod.phase() == PodPhase.RUNNING && pod.running("main");
    }

    private static String affinity(String term) {
        return """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms: [%s]""".formatted(term);
    }

    private static String dongles(int count) {
        return PodYaml.SLEEPS + "\nresources: {limits: {example.com/dongle: " + count + "}}";
    }

    private List<String> failedScheduling(PodSnapshot pod) {
        return node.events(pod).stream().filter(e -> e.reason().equals("FailedScheduling"))
                .map(PodEvents.Event::message).toList();
    }

    @Test
    void podsTheNodeDoesNotMatchStayPendingWithKubeSchedulersReason() {
        node.apply(PodYaml.pod("hdd", "busybox:1.35", affinity("{matchExpressions: [{key: disk, operator: In, "
                + "values: [hdd]}]}"), PodYaml.SLEEPS)
                + PodYaml.pod("selector", "busybox:1.35", "nodeSelector: {disk: hdd}", PodYaml.SLEEPS)
                + PodYaml.pod("ssd", "busybox:1.35", affinity("{matchExpressions: [{key: disk, operator: In, values: "
                + "[hdd]}]}, {matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}], "
                + "matchFields: [{key: metadata.name, operator: In, values: [edge-1]}]}"), PodYaml.SLEEPS));
        node.untilIdle("ssd running, the others waiting", pods -> pods.size() == 3 && running(node.pod("ssd"))
                && "Unschedulable".equals(node.pod("hdd").reason())
                && "Unschedulable".equals(node.pod("selector").reason()));
        for (String name : List.of("hdd", "selector")) {
            PodSnapshot waiting = node.pod(name);
            assertEquals(PodPhase.PENDING, waiting.phase());
            assertEquals("node(s) didn't match Pod's node affinity/selector", waiting.state().message());
            assertEquals(List.of("0/1 nodes are available: node(s) didn't match Pod's node affinity/selector"),
                    failedScheduling(waiting));
        }
    }

    @Test
    void extendedResourcesAreHandedOutWhileTheyLast() {
        node.apply(PodYaml.pod("two", "busybox:1.35", "", dongles(2)));
        node.untilIdle("two running", pods -> pods.size() == 1 && running(node.pod("two")));
        node.apply(PodYaml.pod("two", "busybox:1.35", "", dongles(2)) + PodYaml.pod("one", "busybox:1.35", "",
                dongles(1)));
        node.untilIdle("one waiting", pods -> pods.size() == 2 && "Unschedulable".equals(node.pod("one").reason()));
        assertEquals("Insufficient example.com/dongle", node.pod("one").state().message());

        node.apply(PodYaml.pod("one", "busybox:1.35", "", dongles(1)));
        node.untilIdle("one running once two is gone", pods -> pods.size() == 1 && running(node.pod("one")));
    }

    @Test
    void aGatedPodIsNotTriedUntilItsGatesAreGone() {
        node.apply(PodYaml.pod("gated", "busybox:1.35", "schedulingGates: [{name: example.com/quota}]",
                PodYaml.SLEEPS));
        node.untilIdle("gated waiting", pods -> pods.size() == 1 && "SchedulingGated".equals(node.pod("gated").reason()));
        PodSnapshot gated = node.pod("gated");
        assertEquals(PodPhase.PENDING, gated.phase());
        assertFalse(gated.state().scheduled());
        assertEquals("Scheduling is blocked due to non-empty scheduling gates", gated.state().message());
        assertEquals(List.of(), failedScheduling(gated), "a gated pod is not tried, so nothing failed");

        node.apply(PodYaml.pod("gated", "busybox:1.35", "", PodYaml.SLEEPS));
        node.untilIdle("running without its gate", pods -> pods.size() == 1 && running(node.pod("gated")));
    }

    @Test
    void theNodeHasTheKubeletsOwnLabelsUnderTheConfiguredOnes() {
        Map<String, String> labels = NodeResources.wellKnownLabels("edge-1", Map.of("disk", "ssd",
                "kubernetes.io/arch", "custom"));
        assertEquals("edge-1", labels.get("kubernetes.io/hostname"));
        assertEquals("linux", labels.get("kubernetes.io/os"));
        assertEquals("custom", labels.get("kubernetes.io/arch"), "a configured label wins, as --node-labels does");
        assertEquals("ssd", labels.get("disk"));
        assertEquals("arm64", NodeResources.goArch("aarch64"));
        assertEquals("amd64", NodeResources.goArch("amd64"));
        assertEquals("386", NodeResources.goArch("i686"));
    }
}
