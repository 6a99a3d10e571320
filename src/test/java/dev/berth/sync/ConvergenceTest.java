package dev.berth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.FakeNode;
import dev.berth.node.NodeResources;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.testing.PodYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync's passes until the node has converged, over a fake runtime: what it waits for, and how it ends. */
class ConvergenceTest {

    @TempDir
    Path dir;

    private FakeNode node;
    private final List<String> progress = new ArrayList<>();

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
    }

    private Convergence.Result converge(Duration timeout, boolean untilStarted) throws InterruptedException {
        return new Convergence(node.layout, node.reconciler, progress::add)
                .run(node.applied(), false, timeout, untilStarted);
    }

    /** A pod that asks for 600 MiB: on a node of 1 GiB, one fits. */
    private static String pod(String name, String spec) {
        return PodYaml.pod(name, "busybox:1.35", spec, PodYaml.SLEEPS + "\nresources: {requests: {memory: 600Mi}}");
    }

    private static final String HANGING_INIT = """
            apiVersion: v1
            kind: Pod
            metadata: {name: hangs}
            spec:
              initContainers:
                - {name: setup, image: "busybox:1.35", command: [sleep, "3600"]}
              containers:
                - {name: main, image: "busybox:1.35", command: [sleep, "3600"]}
            ---
            """;

    private static boolean running(PodSnapshot pod) {
        return pod.phase() == PodPhase.RUNNING && pod.running("main");
    }

    /** The victim stops for its whole grace period; one sync still ends with the preemptor running. */
    @Test
    void oneSyncWaitsForAPreemptionToEndWithThePreemptorRunning() throws Exception {
        node = new FakeNode(dir, new NodeResources(new NodeCapacity(2000, 1L << 30, Map.of(), List.of())));
        node.runtime.stopsTake(Duration.ofMillis(500));
        node.apply(pod("low", ""));
        assertTrue(converge(Duration.ofSeconds(20), true).ok());

        node.apply(pod("low", "") + """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                ---
                """ + pod("high", "priorityClassName: high"));
        Convergence.Result result = converge(Duration.ofSeconds(20), true);
        assertTrue(result.ok(), result.toString());
        assertTrue(running(node.pod("high")), node.pods().toString());
        assertEquals("Unschedulable", node.pod("low").reason(), "its object made a new pod, which waits for room");
    }

    /** A one-shot apply waits for an init container, up to its timeout, and names the pod that did not converge. */
    @Test
    void anInitContainerThatNeverEndsTimesTheSyncOutNamingItsPod() throws Exception {
        node = new FakeNode(dir);
        node.apply(HANGING_INIT + pod("other", ""));
        Convergence.Result result = converge(Duration.ofSeconds(1), true);
        assertTrue(result.timedOut());
        assertTrue(result.unhealthy().containsKey(new ResourceKey("Pod", "default", "hangs")), result.toString());
        assertFalse(result.unhealthy().containsKey(new ResourceKey("Pod", "default", "other")), result.toString());
        assertTrue(running(node.pod("other")));
    }

    /** A daemon does not wait for init containers: its next passes carry their pods' start on. */
    @Test
    void aDaemonsSyncLeavesAnInitContainerToItsLaterPasses() throws Exception {
        node = new FakeNode(dir);
        node.apply(HANGING_INIT + pod("other", ""));
        Convergence.Result result = converge(Duration.ofSeconds(20), false);
        assertTrue(result.ok(), result.toString());
        assertTrue(running(node.pod("other")));
        assertEquals("Init:0/1", node.pod("hangs").reason());
    }

    /** A pod that cannot be removed: the other is pruned, and the sync ends naming the stuck one's object. */
    @Test
    void aRemovalThatKeepsFailingEndsTheSyncWithThatObjectsFailure() throws Exception {
        node = new FakeNode(dir);
        node.apply(pod("stuck", "") + pod("free", ""));
        assertTrue(converge(Duration.ofSeconds(20), true).ok());
        node.runtime.failRemoval(node.pod("stuck").id(), "device or resource busy");

        node.apply("");
        Convergence.Result result = converge(Duration.ofSeconds(2), true);
        assertFalse(result.ok());
        assertTrue(result.failures().get(new ResourceKey("Pod", "default", "stuck")).contains("device or resource busy"),
                result.toString());
        assertFalse(node.has("free"), "pruned all the same: " + result + " " + node.pods());
        assertTrue(progress.stream().anyMatch(line -> line.contains("(retrying)")), progress.toString());
    }
}
