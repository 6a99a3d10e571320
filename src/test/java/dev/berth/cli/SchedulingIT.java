package dev.berth.cli;

import static dev.berth.cli.Scenarios.events;
import static dev.berth.cli.Scenarios.inspect;
import static dev.berth.cli.Scenarios.status;
import static dev.berth.cli.Scenarios.statusObject;
import static dev.berth.cli.Scenarios.statusPod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodEvents;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler through {@code berth apply}: a node whose config reserves all but 1 GiB of memory, pods that
 * request 600 MiB each, so only one fits at a time.
 */
class SchedulingIT {

    private static final String ONE_GIB_NODE = Scenarios.allocatableMemory(1024);

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A pod requesting {@code memory}; {@code priority} is a spec line such as priorityClassName, or empty. */
    static String pod(String name, String memory, String priority) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 2
                  %s
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sleep, "3600"]
                      resources: {requests: {memory: %s}}
                """.formatted(name, priority, memory);
    }

    static final String HIGH_CLASS = """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high}
            value: 1000
            """;

    @Test
    void aPodThatDoesNotFitStaysPendingWithItsReasonAndStartsWhenTheOtherIsRemoved() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, ONE_GIB_NODE)) {
            node.commit("a.yaml", pod("a", "600Mi", ""));
            CliRun first = node.apply();
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(PodPhase.RUNNING, node.pod("a").phase());

            node.commit("a.yaml", pod("a", "600Mi", ""), "b.yaml", pod("b", "600Mi", ""));
            CliRun second = node.apply();
            // b is applied (recorded and waiting for room): without --wait that is a successful apply
            assertEquals(0, second.exitCode(), second.toString());
            PodSnapshot b = node.pod("b");
            assertEquals(PodPhase.PENDING, b.phase());
            assertFalse(b.state().scheduled());
            assertEquals("Unschedulable", b.reason());
            assertEquals("Insufficient memory", b.state().message());
            assertEquals(PodPhase.RUNNING, node.pod("a").phase(), "a keeps its place");

            Map<String, Object> status = status(node);
            Map<String, Object> bStatus = statusPod(status, "b");
            assertEquals("Pending", bStatus.get("phase"), bStatus.toString());
            assertEquals("Unschedulable", bStatus.get("status"), bStatus.toString());
            assertEquals("Running", statusPod(status, "a").get("status"));
            assertNotEquals("Healthy", statusObject(status, "Pod", "b").get("health"));

            CliRun described = inspect(node, "describe", "pod", "b");
            assertEquals(0, described.exitCode(), described.toString());
            assertTrue(described.out().matches("(?s).*Reason:\\s+Unschedulable\n.*"), described.out());
            assertTrue(described.out().matches("(?s).*Message:\\s+Insufficient memory\n.*"), described.out());
            assertTrue(described.out().matches(
                    "(?s).*Warning\\s+FailedScheduling\\s+.*0/1 nodes are available: Insufficient memory.*"),
                    described.out());

            CliRun again = node.apply();
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(b.id(), node.pod("b").id(), "still the same pod, still waiting");
            assertEquals(1, events(node, b, "FailedScheduling").size(), "a pod waiting for the same reason is reported once");

            node.commit("b.yaml", pod("b", "600Mi", ""));
            CliRun freed = node.apply();
            assertEquals(0, freed.exitCode(), freed.toString());
            PodSnapshot started = node.pod("b");
            assertEquals(b.id(), started.id(), "the waiting pod is the one that starts");
            assertEquals(PodPhase.RUNNING, started.phase(), started.toString());
            assertTrue(started.running("main"));
            List<String> reasons = events(node, started).stream().map(PodEvents.Event::reason).toList();
            assertTrue(reasons.indexOf("FailedScheduling") < reasons.indexOf("Scheduled")
                    && reasons.indexOf("Scheduled") < reasons.indexOf("Started"), reasons.toString());
            assertEquals("Running", statusPod(status(node), "b").get("status"));
        }
    }

    @Test
    void oneApplyLetsAHigherPriorityPodPreemptALowerOne() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, ONE_GIB_NODE)) {
            node.commit("low.yaml", pod("low", "600Mi", ""));
            CliRun first = node.apply();
            assertEquals(0, first.exitCode(), first.toString());
            PodSnapshot low = node.pod("low");
            assertTrue(low.running("main"));

            // The victim's events go with its pod directory once it is removed, so watch them while it stops.
            Path lowDir = Scenarios.podDir(node, low.id());
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicBoolean applying = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (applying.get()) {
                    PodEvents.read(lowDir).forEach(e -> seen.add(e.reason() + ": " + e.message()));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            node.commit("low.yaml", pod("low", "600Mi", ""), "high.yaml", pod("high", "600Mi", "priorityClassName: high"),
                    "class.yaml", HIGH_CLASS);
            CliRun preempting;
            try {
                preempting = node.apply();
            } finally {
                applying.set(false);
                watcher.join();
            }
            assertEquals(0, preempting.exitCode(), preempting.toString());

            assertTrue(seen.stream().anyMatch(e -> e.startsWith("Killing: ") && e.contains("Preempted")), seen.toString());
            PodSnapshot high = node.pod("high");
            assertEquals(PodPhase.RUNNING, high.phase(), "one apply ends with the high-priority pod running: " + high);
            assertTrue(high.running("main"));
            List<PodEvents.Event> highEvents = events(node, high);
            assertTrue(highEvents.stream().anyMatch(e -> e.reason().equals("FailedScheduling")
                    && e.message().contains("preemption")), highEvents.toString());
            assertTrue(highEvents.stream().anyMatch(e -> e.reason().equals("Scheduled")), highEvents.toString());

            PodSnapshot lowAfter = node.pod("low");
            assertNotEquals(low.id(), lowAfter.id(), "the preempted pod is gone; its object made a new one");
            assertEquals(PodPhase.PENDING, lowAfter.phase());
            assertEquals("Unschedulable", lowAfter.reason());
            assertEquals("Insufficient memory", lowAfter.state().message());

            CliRun again = node.apply();
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(high.id(), node.pod("high").id(), "a re-apply does not disturb the winner");
            assertEquals(lowAfter.id(), node.pod("low").id(), "nor churn the waiting pod");
        }
    }

    /** A pod whose required node affinity the node's configured labels do not meet stays Pending; one they meet runs. */
    @Test
    void aPodTheNodesLabelsDoNotMatchStaysPendingWithKubeSchedulersReason() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "node: {labels: {disk: ssd}}\n")) {
            String wantsHdd = """
                    affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: In, values: [hdd]}]}]""";
            node.commit("hdd.yaml", pod("hdd", "16Mi", wantsHdd), "ssd.yaml", pod("ssd", "16Mi",
                    wantsHdd.replace("[hdd]", "[ssd]")));
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            assertEquals(PodPhase.RUNNING, node.pod("ssd").phase());
            PodSnapshot hdd = node.pod("hdd");
            assertEquals(PodPhase.PENDING, hdd.phase());
            assertEquals("Unschedulable", hdd.reason());
            assertEquals("node(s) didn't match Pod's node affinity/selector", hdd.state().message());
            assertEquals("Unschedulable", statusPod(status(node), "hdd").get("status"));
            CliRun described = inspect(node, "describe", "pod", "hdd");
            assertTrue(described.out().matches("(?s).*Warning\\s+FailedScheduling\\s+.*0/1 nodes are available: "
                    + "node\\(s\\) didn't match Pod's node affinity/selector.*"), described.out());
        }
    }
}
