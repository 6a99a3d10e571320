package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.inspect.ContainerView;
import dev.berth.inspect.PodSummary;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.PodYaml;
import io.fabric8.kubernetes.api.model.PodIP;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's reconciler against a fake runtime: what a pass decides, what it hands to the pods' workers, and that
 * nothing one pod does (a pull that hangs, an init container that never ends, a removal that fails) holds back
 * another or the pass itself.
 */
class NodeReconcilerTest {

    @TempDir
    Path dir;

    private FakeNode node;

    @BeforeEach
    void setUp() {
        node = new FakeNode(dir);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    static String pod(String name, String image) {
        return PodYaml.pod(name, image, "", PodYaml.SLEEPS);
    }

    private static boolean running(PodSnapshot pod) {
        return pod.phase() == PodPhase.RUNNING && pod.running("main");
    }

    private static String main(PodSnapshot pod) {
        return PodRuntime.containerId(pod.id(), "main");
    }

    @Test
    void aPullThatHangsHoldsBackOnlyItsOwnPod() {
        CountDownLatch pull = node.runtime.stallPulls("busybox:slow");
        node.apply(pod("slow", "busybox:slow") + pod("quick", "busybox:1.35"));

        NodeReconciler.PassResult first = node.pass(); // returns although a pull hangs
        assertTrue(first.working() > 0, first.toString());
        node.until("quick running", pods -> pods.stream().anyMatch(p -> p.record().name().equals("quick") && running(p)));
        assertEquals(PodPhase.PENDING, node.pod("slow").phase());

        pull.countDown();
        node.until("slow running too", pods -> pods.stream().allMatch(NodeReconcilerTest::running));
    }

    @Test
    void anInitContainerIsWaitedForWithoutHoldingAnything() {
        node.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: initialized}
                spec:
                  initContainers:
                    - {name: setup, image: "busybox:1.35", command: [sleep, "3600"]}
                  containers:
                    - {name: main, image: "busybox:1.35", command: [sleep, "3600"]}
                ---
                """ + pod("other", "busybox:1.35"));
        node.untilIdle("the init container started and the other pod running",
                pods -> pods.stream().filter(p -> p.record().name().equals("other")).allMatch(NodeReconcilerTest::running)
                        && node.runtime.running(PodRuntime.containerId(node.pod("initialized").id(), "setup")));
        PodSnapshot initializing = node.pod("initialized");
        assertEquals(1, node.pass().initializing());
        assertEquals("Init:0/1", initializing.reason());
        assertFalse(node.runtime.exists(main(initializing)), "no app container before the init container is done");

        node.runtime.exit(PodRuntime.containerId(initializing.id(), "setup"), 0, Instant.now());
        node.untilIdle("the app container started after the init container", pods -> running(node.pod("initialized")));
        assertEquals(0, node.pass().initializing());
    }

    private static String initFails(String name, String restartPolicy) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: %s
                  initContainers:
                    - {name: setup, image: "busybox:1.35", command: [false]}
                  containers:
                    - {name: main, image: "busybox:1.35", command: [sleep, "3600"]}
                """.formatted(name, restartPolicy);
    }

    /** As the kubelet: the failed init container alone starts again, at once, then after 10 s, 20 s; no app container. */
    @Test
    void aFailedInitContainerIsRestartedWithBackoffAndItsRestartsCounted() throws Exception {
        node.apply(initFails("initialized", "Always"));
        node.until("the init container started", pods -> pods.size() == 1
                && node.runtime.running(PodRuntime.containerId(pods.get(0).id(), "setup")));
        PodSnapshot pod = node.pod("initialized");
        String setup = PodRuntime.containerId(pod.id(), "setup");
        Files.writeString(TerminationMessage.hostFile(node.runtime.podDir(pod.id()), "setup"), "no database");
        node.runtime.exit(setup, 3, Instant.now());
        node.untilIdle("restarted at once", pods -> pods.get(0).restarts() == 1 && node.runtime.running(setup));
        assertEquals("Init:0/1", node.pod("initialized").reason());
        ContainerView shown = ContainerView.of(node.pod("initialized")).get(0);
        assertEquals(1, shown.restarts());
        assertEquals(3, shown.lastState().exitCode());
        assertEquals("no database", shown.lastState().message());

        Instant exit2 = Instant.now();
        node.runtime.exit(setup, 3, exit2);
        NodeReconciler.PassResult backingOff = node.pass(exit2);
        assertEquals(exit2.plusSeconds(10), backingOff.wakeAt(), "the node is woken for the restart");
        PodSnapshot waiting = node.pod("initialized");
        assertEquals("Init:CrashLoopBackOff", waiting.reason());
        assertEquals(PodPhase.PENDING, waiting.phase());
        node.pass(exit2.plusSeconds(9));
        assertFalse(node.runtime.running(setup), "not before its backoff");
        node.pass(exit2.plusSeconds(10));
        node.untilIdle("restarted after 10 s", pods -> pods.get(0).restarts() == 2 && node.runtime.running(setup));

        Instant exit3 = Instant.now();
        node.runtime.exit(setup, 3, exit3);
        assertEquals(exit3.plusSeconds(20), node.pass(exit3).wakeAt());
        assertFalse(node.runtime.exists(main(pod)), "no app container while the init container fails");
        assertEquals(2, PodSummary.of(node.pod("initialized")).restarts(), "counted as kubectl counts them");

        node.pass(exit3.plusSeconds(20));
        node.untilIdle("restarted after 20 s", pods -> pods.get(0).restarts() == 3 && node.runtime.running(setup));
        node.runtime.exit(setup, 0, Instant.now());
        node.untilIdle("started once the init container succeeded", pods -> running(node.pod("initialized")));
        assertEquals(3, node.pod("initialized").restarts(), "the init container's restarts stay counted");
    }

    @Test
    void aFailedInitContainerFailsAPodThatNeverRestarts() {
        node.apply(initFails("once", "Never"));
        node.until("the init container started", pods -> pods.size() == 1
                && node.runtime.running(PodRuntime.containerId(pods.get(0).id(), "setup")));
        PodSnapshot pod = node.pod("once");
        node.runtime.exit(PodRuntime.containerId(pod.id(), "setup"), 3, Instant.now());

        node.untilIdle("the pod failed", pods -> pods.get(0).phase() == PodPhase.FAILED);
        PodSnapshot failed = node.pod("once");
        assertEquals("Init:Error", failed.reason());
        assertEquals("init container setup failed with exit code 3", failed.state().message());
        assertFalse(node.runtime.exists(PodRuntime.containerId(pod.id(), "setup")), "torn down");
        NodeReconciler.PassResult later = node.pass(Instant.now().plusSeconds(3600));
        assertEquals(0, later.working(), "never started again");
        assertFalse(node.runtime.exists(main(pod)));
        assertEquals(PodPhase.FAILED, node.pod("once").phase());
    }

    /** CrashLoopBackOff: the first restart at once, then 10 s, then 20 s, each woken by the pass's wakeAt. */
    @Test
    void aContainerThatExitsIsRestartedAtOnceThenAfterTheBackoff() {
        node.apply(pod("looping", "busybox:1.35"));
        node.untilIdle("running", pods -> pods.size() == 1 && running(pods.get(0)));
        String id = main(node.pod("looping"));

        Instant exit1 = Instant.now();
        node.runtime.exit(id, 1, exit1);
        node.untilIdle("restarted at once", pods -> running(pods.get(0)) && pods.get(0).restarts() == 1);

        Instant exit2 = Instant.now();
        node.runtime.exit(id, 1, exit2);
        NodeReconciler.PassResult backingOff = node.pass(exit2);
        assertEquals(exit2.plusSeconds(10), backingOff.wakeAt());
        assertEquals("CrashLoopBackOff", node.pod("looping").reason());
        node.pass(exit2.plusSeconds(9));
        assertFalse(node.runtime.running(id), "not before its backoff");
        node.pass(exit2.plusSeconds(10));
        node.untilIdle("restarted after 10 s", pods -> running(pods.get(0)) && pods.get(0).restarts() == 2);

        Instant exit3 = Instant.now();
        node.runtime.exit(id, 1, exit3);
        assertEquals(exit3.plusSeconds(20), node.pass(exit3).wakeAt());
    }

    /** The message is read once the exit is noted: the current state shows it, and the last state after a restart. */
    @Test
    void aContainersTerminationMessageIsShownWhenItEndsAndAfterItsRestart() throws Exception {
        node.apply(PodYaml.pod("once", "busybox:1.35", "restartPolicy: Never", PodYaml.SLEEPS
                + "\nterminationMessagePolicy: FallbackToLogsOnError")
                + pod("looping", "busybox:1.35"));
        node.untilIdle("running", pods -> pods.size() == 2 && pods.stream().allMatch(NodeReconcilerTest::running));
        PodSnapshot once = node.pod("once");
        Files.writeString(TerminationMessage.hostFile(node.runtime.podDir(once.id()), "main"), "all done");
        node.runtime.exit(main(once), 1, Instant.now());
        node.untilIdle("the exit noted", pods -> node.pod("once").state().containers().get("main").lastExitCode() != null);
        PodSummary.Exit ended = PodSummary.of(node.pod("once")).lastExit();
        assertEquals("all done", ended.message(), "the file wins over the log fallback");
        assertEquals(PodPhase.FAILED, node.pod("once").phase());

        PodSnapshot looping = node.pod("looping");
        Files.writeString(TerminationMessage.hostFile(node.runtime.podDir(looping.id()), "main"), "first run");
        node.runtime.exit(main(looping), 2, Instant.now());
        node.untilIdle("restarted", pods -> running(node.pod("looping")) && node.pod("looping").restarts() == 1);
        ContainerView main = ContainerView.of(node.pod("looping")).get(0);
        assertEquals("Running", main.state().name());
        assertEquals("first run", main.lastState().message());
        assertEquals(2, main.lastState().exitCode());
    }

    /** A Pod whose container has {@code probe} (a line such as {@code livenessProbe: {...}}). */
    static String probed(String name, String probe) {
        return PodYaml.pod(name, "busybox:1.35", "", PodYaml.SLEEPS + "\n" + probe);
    }

    @Test
    void aLivenessProbeThatStartsFailingKillsTheContainerWhichIsThenRestarted() {
        node.apply(probed("probed", "livenessProbe: {exec: {command: [check]}, periodSeconds: 1, failureThreshold: 1}"));
        node.until("running, probed, ready", pods -> pods.size() == 1 && pods.get(0).ready()
                && !node.runtime.execs.isEmpty());
        int probed = node.runtime.execs.size();
        node.until("probed again", pods -> node.runtime.execs.size() > probed);
        assertEquals(0, node.pod("probed").restarts());

        node.runtime.answerExec("check", 1);
        node.until("killed for its probe and restarted", pods -> pods.size() == 1 && pods.get(0).restarts() >= 1);
        PodSnapshot pod = node.pod("probed");
        assertTrue(node.events(pod).stream().anyMatch(e -> e.reason().equals("Killing")
                && e.message().contains("Liveness probe failed")), node.events(pod).toString());
        assertTrue(node.events(pod).stream().anyMatch(e -> e.reason().equals("Unhealthy")));
    }

    @Test
    void readinessFollowsTheProbeWithinAPeriod() {
        node.runtime.answerExec("ready?", 1);
        node.apply(probed("probed", "readinessProbe: {exec: {command: [\"ready?\"]}, periodSeconds: 1}"));
        node.until("running, probed, not ready", pods -> pods.size() == 1 && running(pods.get(0))
                && !node.runtime.execs.isEmpty());
        assertFalse(node.pod("probed").ready());

        node.runtime.answerExec("ready?", 0);
        node.until("ready", pods -> pods.get(0).ready());
        assertEquals(PodPhase.RUNNING, node.pod("probed").phase());
    }

    /**
     * A pod recorded by an older berth with a gRPC probe, which the loader refuses now (the probes are put in after
     * loading, as an older berth loaded them): it runs and is ready, the probes taken as passing, told once each in
     * a ProbeWarning event however many passes follow.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRecordedGrpcProbeCountsAsPassingWithOneWarning() {
        Manifest loaded = node.apply(probed("grpc", "")).manifests().iterator().next();
        Map<String, Object> object = mutableCopy(loaded.object());
        Map<String, Object> container = mutableCopy(
                ((List<?>) ((Map<?, ?>) object.get("spec")).get("containers")).get(0));
        container.put("readinessProbe", Map.of("grpc", Map.of("port", 9000), "periodSeconds", 1));
        container.put("livenessProbe", Map.of("grpc", Map.of("port", 9000), "periodSeconds", 1, "failureThreshold", 1));
        ((Map<String, Object>) object.get("spec")).put("containers", List.of(container));
        node.apply(new DesiredState(null, List.of(new Manifest(loaded.key(), loaded.apiVersion(), object,
                loaded.location(), loaded.locations()))));
        node.untilIdle("running and ready", pods -> pods.size() == 1 && pods.get(0).ready());
        for (int i = 0; i < 3; i++) {
            assertEquals(Map.of(), node.pass().failures());
        }
        PodSnapshot pod = node.pod("grpc");
        assertEquals(0, pod.restarts());
        List<String> warnings = node.events(pod).stream().filter(e -> e.reason().equals("ProbeWarning"))
                .map(PodEvents.Event::message).sorted().toList();
        assertEquals(List.of("container main: livenessProbe uses grpc, which berth does not run (validate refuses it"
                + " now); it is taken as passing", "container main: readinessProbe uses grpc, which berth does not run"
                + " (validate refuses it now); it is taken as passing"), warnings);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableCopy(Object map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? mutableCopy(m) : v));
        return copy;
    }

    /** One pod that cannot be removed: the other is pruned, the failure stays with its object and is retried. */
    @Test
    void aPodThatCannotBeRemovedIsReportedAndRetriedWhileTheOthersArePruned() {
        node.apply(pod("stuck", "busybox:1.35") + pod("free", "busybox:1.35"));
        node.until("both running", pods -> pods.size() == 2 && pods.stream().allMatch(NodeReconcilerTest::running));
        String stuck = node.pod("stuck").id();
        node.runtime.failRemoval(stuck, "device or resource busy");

        node.apply("");
        node.untilIdle("free pruned, the removal of stuck failed",
                pods -> pods.size() == 1 && node.runtime.removed.size() == 1);
        NodeReconciler.PassResult failing = node.pass();
        Failure failure = failing.failures().get(new ResourceKey("Pod", "default", "stuck"));
        assertTrue(failure.message().contains("device or resource busy"), failure.toString());
        assertTrue(node.pod("stuck").state().terminating());
        assertTrue(node.events(node.pod("stuck")).stream().anyMatch(e -> e.reason().equals("FailedKillPod")));
        assertEquals(failure.retryAt(), failing.wakeAt(), "woken for the retry");

        node.runtime.allowRemoval(stuck);
        node.until("stuck removed once it can be", List::isEmpty);
        assertEquals(List.of(), List.copyOf(node.pass().failures().keySet()));
    }

    /** A changed Pod is replaced; the old one runs on until the new one's image is present. */
    @Test
    void aReplacedPodKeepsRunningWhileTheNewImageIsPulled() {
        node.apply(pod("web", "busybox:1.35"));
        node.until("running", pods -> pods.size() == 1 && running(pods.get(0)));
        String old = node.pod("web").id();
        CountDownLatch pull = node.runtime.stallPulls("busybox:1.36");

        node.apply(pod("web", "busybox:1.36"));
        node.pass();
        node.pass();
        assertEquals(List.of(old), node.pods().stream().map(PodSnapshot::id).toList(), "nothing new registered yet");
        assertTrue(running(node.pod("web")), "the old pod serves while the image is pulled");

        pull.countDown();
        node.until("replaced", pods -> pods.size() == 1 && !pods.get(0).id().equals(old) && running(pods.get(0)));
    }

    @Test
    void anImageThatCannotBePulledShowsErrImagePullThenImagePullBackOff() {
        node.runtime.failPulls("busybox:nope", "manifest unknown");
        node.apply(pod("missing", "busybox:nope") + pod("fine", "busybox:1.35"));
        node.until("the first pull failed, the other pod runs", pods -> pods.size() == 2
                && "ErrImagePull".equals(node.pod("missing").state().reason()) && running(node.pod("fine")));
        PodState first = node.pod("missing").state();
        assertTrue(first.message().contains("manifest unknown"), first.message());

        node.pass(first.retryAt());
        node.until("the retry failed too", pods -> "ImagePullBackOff".equals(node.pod("missing").state().reason()));
        PodState second = node.pod("missing").state();
        assertEquals(2, second.startFailures());
        assertTrue(second.retryAt().isAfter(Instant.now().plusSeconds(15)), "backing off 20 s: " + second.retryAt());
    }

    @Test
    void aPodHasItsNetworksAddressUntilItIsRemovedAndALeftoverNetworkIsDetached() {
        node.runtime.network.leave("default.ghost.000000");
        node.apply(pod("web", "busybox:1.35"));
        node.until("web running", pods -> pods.stream().anyMatch(NodeReconcilerTest::running));
        PodSnapshot web = node.pod("web");
        String ip = web.record().pod().getStatus().getPodIP();
        assertTrue(ip.startsWith("10.88."), ip);
        assertEquals(List.of(ip), web.record().pod().getStatus().getPodIPs().stream().map(PodIP::getIp).toList());
        assertEquals("web", node.runtime.network.attachment(web.id()).name());
        node.until("the leftover network is detached", pods -> !node.runtime.network.attached()
                .contains("default.ghost.000000"));

        node.apply("");
        node.until("web removed", List::isEmpty);
        assertEquals(List.of(), node.runtime.network.attached());
    }

    @Test
    void aStrayContainerIsRemovedOnItsWorker() {
        node.runtime.addStray("default.ghost.000000.main");
        node.until("the stray is gone", pods -> !node.runtime.exists("default.ghost.000000.main"));
    }

    @Test
    void aJobIsRetriedAfterItsBackoffAndGivesUpAtItsLimit() {
        node.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: batch}
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - {name: main, image: "busybox:1.35", command: [false]}
                """);
        node.until("the first pod runs", pods -> pods.size() == 1 && running(pods.get(0)));
        Instant failedAt = Instant.now();
        node.runtime.exit(main(node.pods().get(0)), 1, failedAt);
        NodeReconciler.PassResult backoff = node.until("the failure seen",
                pods -> pods.get(0).phase() == PodPhase.FAILED);
        assertEquals(1, node.pods().size(), "no retry before the backoff");
        Instant wakeAt = backoff.wakeAt();
        assertTrue(wakeAt != null && wakeAt.isAfter(failedAt.plusSeconds(9)), "woken for the retry: " + wakeAt);

        node.pass(wakeAt);
        assertEquals(2, node.pods().size(), "retried once the backoff is over");
        assertNull(node.status("Job", "default", "batch").lastError());
    }

    /**
     * The victim is stopped on its worker; the preemptor waits for its room and starts once the victim is gone. The
     * victim's Pod object is still applied, so a new pod of it waits for room, as it would on a cluster's node.
     */
    @Test
    void aHigherPriorityPodPreemptsALowerOneAndStartsOnceItIsGone() {
        node.close();
        node = new FakeNode(dir.resolve("small"), new NodeResources(new dev.berth.scheduler.NodeCapacity(2000,
                1L << 30, java.util.Map.of(), List.of())));
        String needs600Mi = PodYaml.SLEEPS + "\nresources: {requests: {memory: 600Mi}}";
        String low = PodYaml.pod("low", "busybox:1.35", "", needs600Mi);
        node.apply(low);
        node.until("low running", pods -> pods.size() == 1 && running(pods.get(0)));

        node.apply(low + """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 1000
                ---
                """ + PodYaml.pod("high", "busybox:1.35", "priorityClassName: high", needs600Mi));
        String victim = node.pod("low").id();
        node.until("high running, low waiting anew", pods -> pods.size() == 2 && running(node.pod("high"))
                && !node.pod("low").id().equals(victim) && "Unschedulable".equals(node.pod("low").reason()));
        assertTrue(node.runtime.removed.contains(victim));
    }

    /** A pod of an applied object that fails (here: its restart) shows as the object's lastError. */
    @Test
    void aFailureOfAPodShowsOnItsObject() {
        node.apply(pod("web", "busybox:1.35"));
        node.untilIdle("running", pods -> pods.size() == 1 && running(pods.get(0)));
        PodSnapshot web = node.pod("web");
        node.runtime.failRestarts(main(web), "no space left on device");
        node.runtime.exit(main(web), 1, Instant.now());
        node.until("the restart failed", pods -> node.pass().failures().containsKey(new ResourceKey("Pod", "default", "web")));
        node.pass();
        String lastError = node.status("Pod", "default", "web").lastError();
        assertTrue(lastError != null && lastError.contains("no space left on device"), String.valueOf(lastError));
    }
}
