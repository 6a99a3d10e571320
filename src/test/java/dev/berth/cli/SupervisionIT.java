package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodEvents;
import dev.berth.node.PodRuntime;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.CronJobController;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                %s
                """.formatted(name, container.indent(6).stripTrailing());
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
            node.commit("killed.yaml", pod("killed", "command: [sleep, \"3600\"]"),
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
}
