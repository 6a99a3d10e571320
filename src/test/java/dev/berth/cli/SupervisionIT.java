package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodEvents;
import dev.berth.node.PodRuntime;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.CronJobController;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.PodYaml;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth watch} runs the node between commits, as a kubelet and a controller manager do: with the default
 * resync (5 min) and polls 10 minutes apart, nothing but the node's own events and timers can explain what happens
 * here: restarts with CrashLoopBackOff, liveness probes, Job retries, a CronJob on its schedule, a rolling update gated
 * by readiness and minReadySeconds.
 */
class SupervisionIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        Prerequisites.requireBinaries("git");
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    static String pod(String name, String container) {
        return PodYaml.pod(name, "busybox:1.35", "", container);
    }

    static final String RETRIED_JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: retried}
            spec:
              backoffLimit: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - {name: main, image: busybox:1.35, command: [sh, -c, "exit 1"]}
            """;

    static final String EVERY_MINUTE = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: tick}
            spec:
              schedule: "* * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - {name: main, image: busybox:1.35, command: ["true"]}
            """;

    @Test
    void betweenCommitsTheDaemonRestartsProbesRetriesAndRunsSchedulesOnTime() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("killed.yaml", pod("killed", PodYaml.SLEEPS),
                    "looping.yaml", pod("looping", "command: [sh, -c, \"exit 1\"]"),
                    "alive.yaml", pod("alive", """
                            command: [sh, -c, "echo ok > /healthy; exec sleep 3600"]
                            livenessProbe: {exec: {command: [grep, ok, /healthy]}, periodSeconds: 1, failureThreshold: 2}"""),
                    "job.yaml", RETRIED_JOB, "cron.yaml", EVERY_MINUTE);
            Instant daemonStarted = Instant.now();
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                watch.awaitReady(PATIENCE);
                await("killed and alive running", watch, () -> running(node, "killed") && running(node, "alive"));

                // kill -9 of the main process: restarted at once, seen through conmon's exit file
                PodSnapshot killed = node.pod("killed");
                int pid = node.containerStatus(PodRuntime.containerId(killed.id(), "main")).pid();
                long before = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                await("killed restarted", watch, () -> node.pod("killed").restarts() == 1 && running(node, "killed"));
                long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
                System.out.printf("SupervisionIT: kill -9 to running again: %d ms%n", restartMillis);
                assertTrue(restartMillis < 2000, "restarted in " + restartMillis + " ms");

                // the liveness probe starts failing: killed and restarted within period x failureThreshold + 2 s
                PodSnapshot alive = node.pod("alive");
                String aliveMain = PodRuntime.containerId(alive.id(), "main");
                assertEquals(0, node.exec(aliveMain, "grep", "ok", "/healthy").exitCode(), "the probe passes so far");
                assertEquals(0, node.pod("alive").restarts());
                long broken = System.nanoTime();
                node.exec(aliveMain, "sh", "-c", "echo bad > /healthy");
                await("alive restarted for its probe", watch, () -> node.pod("alive").restarts() == 1);
                long livenessMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - broken);
                assertTrue(livenessMillis < 1 * 2 * 1000 + 2000, "restarted " + livenessMillis + " ms after the probe broke");
                assertTrue(Scenarios.events(node, node.pod("alive"), "Killing").stream()
                        .anyMatch(e -> e.message().contains("Liveness probe failed")));

                // CrashLoopBackOff: the first restart at once, then 10 s, then 20 s
                await("looping restarted three times", watch, () -> node.pod("looping").restarts() >= 3);
                List<Instant> starts = Scenarios.events(node, node.pod("looping"), "Started").stream()
                        .map(PodEvents.Event::at).toList();
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < 4; i++) {
                    gaps.add(Duration.between(starts.get(i - 1), starts.get(i)).toMillis());
                }
                System.out.printf("SupervisionIT: crash loop restarts after %s ms%n", gaps);
                assertTrue(gaps.get(0) < 1000 && gaps.get(1) >= 10_000 && gaps.get(1) < 11_000
                        && gaps.get(2) >= 20_000 && gaps.get(2) < 21_000, "backoff 0/10/20 s: " + gaps);

                // the Job retried twice, then gave up; the CronJob ran within 62 s of the start, on its schedule
                await("the Job's two retries", watch, () -> jobPods(node, "retried").size() == 3
                        && jobPods(node, "retried").stream().allMatch(p -> p.phase() == PodPhase.FAILED));
                await("the CronJob's first run", watch, () -> !jobPods(node, "CronJob", "tick").isEmpty());
                PodSnapshot tick = jobPods(node, "CronJob", "tick").get(0);
                Instant scheduled = Instant.parse(tick.record().pod().getMetadata().getAnnotations()
                        .get(CronJobController.SCHEDULED_AT));
                assertTrue(tick.record().createdAt().isBefore(daemonStarted.plusSeconds(62)), tick.record().createdAt()
                        + " after a start at " + daemonStarted);
                assertTrue(Duration.between(scheduled, tick.record().createdAt()).toMillis() < 2000,
                        "started " + Duration.between(scheduled, tick.record().createdAt()) + " after its schedule");
                assertEquals(1, watch.logCount("syncing:"), "no sync but the first:\n" + watch.log());
                watch.terminate();
            }
        }
    }

    @Test
    void aRollingUpdateGatedByReadinessAndMinReadySecondsCompletesWithNoFurtherTrigger() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("web.yaml", deployment("1"));
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                watch.awaitReady(PATIENCE);
                await("version 1 rolled out", watch, () -> healthy(watch) && webPods(node, "1").size() == 2);

                node.commit("web.yaml", deployment("2"));
                long sent = System.nanoTime();
                assertEquals(2, watch.signedHook("{\"ref\":\"refs/heads/main\"}").statusCode() / 100);
                await("version 2 rolled out", watch, () -> healthy(watch) && webPods(node, "2").size() == 2
                        && webPods(node, "1").isEmpty());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                System.out.printf("SupervisionIT: rolling update of 2 pods (ready after 1 s, minReadySeconds 2): %d ms%n",
                        millis);
                assertEquals(2, watch.logCount("syncing:"), "the start and the webhook, nothing else:\n" + watch.log());
                watch.terminate();
            }
        }
    }

    /** Two replicas that turn ready a second after they start, stay ready 2 s before they count, one at a time. */
    static String deployment(String version) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  minReadySeconds: 2
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - name: main
                          image: busybox:1.35
                          env: [{name: VERSION, value: "%s"}]
                          command: [sh, -c, "sleep 1; echo ok > /ready; exec sleep 3600"]
                          readinessProbe: {exec: {command: [cat, /ready]}, periodSeconds: 1}
                """.formatted(version);
    }

    private static List<PodSnapshot> webPods(NodeFixture node, String version) {
        return node.pods(p -> p.owner().filter(o -> o.equals(new ResourceKey("Deployment", "default", "web"))).isPresent()
                && !p.state().terminating() && p.record().pod().getSpec().getContainers().get(0).getEnv().get(0)
                .getValue().equals(version));
    }

    private static boolean healthy(WatchProcess watch) throws Exception {
        var objects = watch.status().path("node").path("objects");
        for (var o : objects) {
            if (!o.path("health").asString().equals("Healthy")) {
                return false;
            }
        }
        return objects.size() > 0;
    }

    private static boolean running(NodeFixture node, String name) {
        List<PodSnapshot> pods = node.pods(p -> p.record().name().equals(name));
        return pods.size() == 1 && pods.get(0).phase() == PodPhase.RUNNING && pods.get(0).running("main");
    }

    private static List<PodSnapshot> jobPods(NodeFixture node, String job) {
        return jobPods(node, "Job", job);
    }

    private static List<PodSnapshot> jobPods(NodeFixture node, String kind, String name) {
        ResourceKey owner = new ResourceKey(kind, "default", name);
        return node.pods(p -> p.owner().filter(owner::equals).isPresent());
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, WatchProcess watch, Check check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\n" + watch.log());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Faults stay with their pod: a registry that stalls in the middle of an answer fails only its pod's pull while
     * another pod of the same commit runs and the API keeps answering; a pod that cannot be removed fails the sync,
     * naming it, while the other is pruned, and is removed once the cause is gone. A suspend outlives a restart.
     */
    @Test
    void faultsStayWithTheirPodsAndASuspendOutlivesARestart() throws Exception {
        Prerequisites.requireBinaries("chattr");
        try (StallingRegistry stalling = new StallingRegistry();
             NodeFixture node = new NodeFixture(dir, registry, "  \"" + stalling.host() + "\": {insecure: true, timeout: 3s}\n")) {
            node.commit("stalled.yaml", pod("stalled", PodYaml.SLEEPS)
                            .replace("image: \"busybox:1.35\"", "image: \"" + stalling.host() + "/stalled:1\""),
                    "fine.yaml", pod("fine", PodYaml.SLEEPS),
                    "stuck.yaml", pod("stuck", PodYaml.SLEEPS),
                    "free.yaml", pod("free", PodYaml.SLEEPS));
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                // the first sync: the stalled pull fails after 3 s without a byte; meanwhile the rest runs, and the
                // API answers at once throughout
                long slowest = 0;
                while (!(running(node, "fine") && running(node, "stuck") && running(node, "free")
                        && "ErrImagePull".equals(reason(node, "stalled")))) {
                    long asked = System.nanoTime();
                    try {
                        watch.get("/api/v1/status", WatchProcess.TOKEN);
                        slowest = Math.max(slowest, System.nanoTime() - asked);
                    } catch (java.io.IOException notYet) {
                        // not listening yet
                    }
                    Thread.sleep(100);
                }
                System.out.printf("SupervisionIT: slowest /api/v1/status during a stalled pull: %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(slowest));
                assertTrue(slowest < TimeUnit.SECONDS.toNanos(1), "slowest answer " + slowest / 1_000_000 + " ms");
                String stalledMessage = node.pod("stalled").state().message();
                assertTrue(stalledMessage.contains("no data for 3.0 s"), stalledMessage);
                Instant fineStarted = Scenarios.events(node, node.pod("fine"), "Started").get(0).at();
                Instant stalledFailed = Scenarios.events(node, node.pod("stalled"), "Failed").get(0).at();
                assertTrue(fineStarted.isBefore(stalledFailed), "fine ran at " + fineStarted
                        + ", while the stalled pull waited (it failed at " + stalledFailed + ")");

                // a pod that cannot be removed (a file the node cannot delete in its container's bundle)
                PodSnapshot stuck = node.pod("stuck");
                Path pinned = node.runRoot.resolve("bundles").resolve(PodRuntime.containerId(stuck.id(), "main"))
                        .resolve("pinned");
                java.nio.file.Files.writeString(pinned, "x");
                run("chattr", "+i", pinned.toString());
                try {
                    node.commit("stalled.yaml", pod("stalled", PodYaml.SLEEPS)
                                    .replace("image: \"busybox:1.35\"", "image: \"" + stalling.host() + "/stalled:1\""),
                            "fine.yaml", pod("fine", PodYaml.SLEEPS));
                    assertEquals(2, watch.signedHook("{\"ref\":\"refs/heads/main\"}").statusCode() / 100);
                    await("the sync failed on the stuck pod", watch,
                            () -> "Failed".equals(watch.status().path("node").path("result").asString()));
                    String message = watch.status().path("node").path("message").asString();
                    assertTrue(message.contains("Pod default/stuck"), message);
                    assertTrue(node.pods(p -> p.record().name().equals("free")).isEmpty(), "free pruned all the same");
                    assertTrue(node.pod("stuck").state().terminating());
                    Map<String, Object> newest = Scenarios.list(node.berth("history", "-o", "json").json(),
                            "history").get(0);
                    assertEquals("Failed", newest.get("result"), newest.toString());
                    assertTrue(String.valueOf(newest.get("message")).contains("Pod default/stuck"), newest.toString());
                } finally {
                    run("chattr", "-i", pinned.toString());
                }
                await("the stuck pod removed once it can be", watch,
                        () -> node.pods(p -> p.record().name().equals("stuck")).isEmpty()
                                && "Synced".equals(watch.status().path("node").path("result").asString()));

                assertEquals(200, watch.post("/api/v1/suspend", WatchProcess.TOKEN, "").statusCode());
                watch.terminate();
            }
            try (WatchProcess again = node.watch("--interval", "10m")) {
                again.awaitReady(PATIENCE);
                assertTrue(again.status().path("suspended").asBoolean(), "still suspended after a restart");
                node.commit("fine.yaml", pod("fine", PodYaml.SLEEPS));
                assertEquals(2, again.signedHook("{\"ref\":\"refs/heads/main\"}").statusCode() / 100);
                await("the webhook skipped", again, () -> again.logCount("suspended: skipping SYNC") >= 1);
                assertEquals(1, node.pods(p -> p.record().name().equals("stalled")).size(), "nothing applied");
                assertEquals(200, again.post("/api/v1/resume", WatchProcess.TOKEN, "").statusCode());
                await("applied once resumed", again, () -> node.pods(p -> p.record().name().equals("stalled")).isEmpty());
                again.terminate();
            }
        }
    }

    private static String reason(NodeFixture node, String name) {
        List<PodSnapshot> pods = node.pods(p -> p.record().name().equals(name));
        return pods.isEmpty() ? null : pods.get(0).state().reason();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    /** A registry stand-in on 127.0.0.1 that answers every request with its headers and a few bytes, then nothing. */
    private static final class StallingRegistry implements AutoCloseable {

        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        StallingRegistry() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                exchange.sendResponseHeaders(200, 1000);
                exchange.getResponseBody().write("{\"schemaVersion\"".getBytes());
                exchange.getResponseBody().flush();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            server.start();
        }

        String host() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
        }
    }
}
