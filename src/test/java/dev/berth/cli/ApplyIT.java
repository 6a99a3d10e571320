package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth apply end to end: real git repositories, a real registry, the real OCI runtime (crun or runc), conmon,
 * overlayfs and cgroups.
 */
class ApplyIT {

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

    static String pod(String name, String image, String command) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - {name: main, image: "%s", command: [sh, -c, "%s"]}
                """.formatted(name, image, command);
    }

    static String deployment(String name, int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - {name: main, image: "%s", command: [sleep, "3600"]}
                """.formatted(name, replicas, name, name, image);
    }

    private static Map<String, Instant> startTimes(NodeFixture node) {
        return node.pods().stream().collect(Collectors.toMap(p -> p.id(),
                p -> p.state().containers().get("main").startedAt()));
    }

    @Test
    void appliesFromEmptyThenNothingOnReapplyThenReplacesOnlyTheChangedPodThenPrunes() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"), "b.yaml", pod("b", "busybox:1.35", "sleep 3600"));
            CliRun first = node.apply();
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(first.out().contains("Applied"), first.toString());
            assertEquals(2, node.pods().size());
            for (PodSnapshot p : node.pods()) {
                assertEquals(PodPhase.RUNNING, p.phase(), p.toString());
            }
            Map<String, Instant> started = startTimes(node);

            CliRun again = node.apply();
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(started, startTimes(node), "a no-op apply restarts nothing");

            node.commit("a.yaml", pod("a", "busybox:1.36", "sleep 3600"), "b.yaml", pod("b", "busybox:1.35", "sleep 3600"));
            CliRun changed = node.apply();
            assertEquals(0, changed.exitCode(), changed.toString());
            PodSnapshot b = node.pod("b");
            assertEquals(started.get(b.id()), b.state().containers().get("main").startedAt(), "b is untouched");
            PodSnapshot a = node.pod("a");
            assertTrue(!started.containsKey(a.id()), "a was replaced");
            assertEquals("busybox:1.36", a.record().pod().getSpec().getContainers().get(0).getImage());

            node.commit("b.yaml", pod("b", "busybox:1.35", "sleep 3600"));
            CliRun pruned = node.apply();
            assertEquals(0, pruned.exitCode(), pruned.toString());
            assertEquals(1, node.pods().size());
            assertEquals("b", node.pods().get(0).record().name());
        }
    }

    @Test
    void prunesPodsSideBySideSoTheirGracePeriodsOverlap() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"), "b.yaml", pod("b", "busybox:1.35", "sleep 3600"),
                    "c.yaml", pod("c", "busybox:1.35", "sleep 3600"));
            CliRun first = node.apply();
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(3, node.pods(p -> p.phase() == PodPhase.RUNNING).size(), first + "\n" + node.pods());

            node.commit();
            long before = System.nanoTime();
            CliRun pruned = node.apply("--allow-empty");
            long millis = java.time.Duration.ofNanos(System.nanoTime() - before).toMillis();
            assertEquals(0, pruned.exitCode(), pruned.toString());
            assertEquals(0, node.pods().size());
            // sh as pid 1 ignores SIGTERM: each pod takes its 2 s grace; one after another would be 6 s at least
            assertTrue(millis >= 2000 && millis < 5500, "pruned 3 pods in " + millis + " ms");
        }
    }

    @Test
    void scalesADeployment() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            for (int replicas : new int[] {2, 5, 1}) {
                node.commit("web.yaml", deployment("web", replicas, "busybox:1.35"));
                CliRun run = node.apply("--wait");
                assertEquals(0, run.exitCode(), run.toString());
                assertEquals(replicas, node.pods(p -> p.phase() == PodPhase.RUNNING).size(), "running pods");
                assertEquals(replicas, node.pods().size(), "all pods");
            }
        }
    }

    @Test
    void restartsAContainerKilledBehindItsBack() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"));
            assertEquals(0, node.apply().exitCode());
            PodSnapshot before = node.pod("a");
            int pid = before.containers().get("main").pid();
            assertNotEquals(0, pid);
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            NodeFixture.await("the container to die", java.time.Duration.ofSeconds(10),
                    () -> !node.pod("a").running("main"));
            CliRun heal = node.apply("--wait");
            assertEquals(0, heal.exitCode(), heal.toString());
            PodSnapshot after = node.pod("a");
            assertEquals(before.id(), after.id(), "the same pod");
            assertTrue(after.running("main"), after.toString());
            assertEquals(1, after.restarts());
            assertEquals(137, after.state().containers().get("main").lastExitCode());
            assertTrue(Files.exists(node.root.resolve("pods").resolve(after.id()).resolve("logs/main.previous.log")));
        }
    }

    private static void deleteBehindBerthsBack(NodeFixture node, PodSnapshot pod) throws Exception {
        NodeProbe.oci(node.runRoot, "delete", "--force", pod.id() + ".main");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(NodeFixture node, String kind, String name) {
        CliRun status = node.berth("status", "-o", "json");
        assertEquals(0, status.exitCode(), status.toString());
        return ((java.util.List<Map<String, Object>>) status.json().get("objects")).stream()
                .filter(o -> o.get("kind").equals(kind) && o.get("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void recreatesAContainerRemovedBehindItsBackAndCountsTheDriftUnlessAskedOnlyToWarn() throws Exception {
        String warned = pod("w", "busybox:1.35", "sleep 3600").replace("metadata: {name: w}",
                "metadata: {name: w, annotations: {berth.dev/drift: warn}}");
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"), "w.yaml", warned);
            assertEquals(0, node.apply().exitCode());
            deleteBehindBerthsBack(node, node.pod("a"));
            deleteBehindBerthsBack(node, node.pod("w"));
            assertTrue(node.pod("a").lost("main"));

            CliRun heal = node.apply();
            assertEquals(0, heal.exitCode(), heal.toString());
            assertTrue(node.pod("a").running("main"), "recreated");
            assertEquals(1, object(node, "Pod", "a").get("drift"));
            assertTrue(node.pod("w").lost("main"), "drift: warn leaves it as found");
            assertEquals("Drifted", node.pod("w").reason());
        }
    }

    /** A debugging pod of {@code berth run-pod} on the same node is not berth's to schedule, start or prune. */
    @Test
    void leavesARunPodPodOnTheSameNodeAlone() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            Path debug = Files.writeString(dir.resolve("debug.yaml"),
                    pod("debug", "busybox:1.35", "trap 'exit 3' TERM; echo ready; while true; do sleep 0.1; done"));
            Process runPod = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    System.getProperty("berth.jar", "target/berth.jar"), "run-pod", debug.toString(),
                    "--config", node.config.toString(), "--root", node.root.toString(), "--run-root", node.runRoot.toString())
                    .redirectErrorStream(true).start();
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(runPod.getInputStream()))) {
                assertEquals("ready", out.readLine(), "the debugging pod's first line");
                String container = node.pod("debug").record().containers().get(0);
                int pid = node.containerStatus(container).pid();

                node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"));
                CliRun applied = node.apply();
                assertEquals(0, applied.exitCode(), applied.toString());
                assertTrue(node.pod("a").running("main"));
                assertEquals(pid, node.containerStatus(container).pid(), "the debugging pod's container is the same process");
                assertTrue(runPod.isAlive());

                new ProcessBuilder("kill", "-INT", String.valueOf(runPod.pid())).start().waitFor();
                assertTrue(runPod.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(3, runPod.exitValue(), "run-pod ended as its container did");
            } finally {
                runPod.destroyForcibly();
            }
        }
    }

    /**
     * An init container that never ends holds only its own pod: the other converges, and the apply gives up at its
     * --timeout, naming the pod, instead of waiting for ever.
     */
    @Test
    void anInitContainerThatNeverEndsTimesTheApplyOutNamingItsPodWhileTheOthersConverge() throws Exception {
        String hangs = """
                apiVersion: v1
                kind: Pod
                metadata: {name: hangs}
                spec:
                  terminationGracePeriodSeconds: 1
                  initContainers:
                    - {name: setup, image: "busybox:1.35", command: [sleep, "3600"]}
                  containers:
                    - {name: main, image: "busybox:1.35", command: [sleep, "3600"]}
                """;
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("hangs.yaml", hangs, "b.yaml", pod("b", "busybox:1.35", "sleep 3600"));
            long start = System.nanoTime();
            CliRun applied = Scenarios.apply(node, "20s");
            long millis = java.time.Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, applied.exitCode(), applied.toString());
            assertTrue(millis < 25_000, "gave up after " + millis + " ms");
            assertTrue(applied.err().contains("Pod default/hangs"), applied.toString());
            assertTrue(node.pod("b").running("main"), "the other pod converged");
            assertEquals("Init:0/1", node.pod("hangs").reason());
        }
    }

    /**
     * A trial apply on a state root of its own beside the node (sharing its run root, /run/berth by default) takes none
     * of the node's containers for strays: the node's pod keeps its process, through the trial's create and prune.
     */
    @Test
    void anApplyOnAnotherStateRootLeavesTheNodesContainersAlone() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", pod("a", "busybox:1.35", "sleep 3600"));
            assertEquals(0, node.apply().exitCode());
            PodSnapshot before = node.pod("a");
            int pid = before.containers().get("main").pid();
            java.util.function.Supplier<CliRun> trial = () -> CliRun.of("apply", "--repo", node.repo.dir().toString(),
                    "--config", node.config.toString(), "--root", dir.resolve("trial").toString(),
                    "--run-root", node.runRoot.toString(), "--timeout", "2m", "--allow-empty");

            CliRun tried = trial.get();
            assertEquals(0, tried.exitCode(), tried.toString());
            node.commit();
            CliRun pruned = trial.get();
            assertEquals(0, pruned.exitCode(), pruned.toString());

            PodSnapshot after = node.pod("a");
            assertEquals(before.id(), after.id());
            assertEquals(pid, after.containers().get("main").pid(), "the same process");
            assertEquals(0, after.restarts());
        }
    }
}
