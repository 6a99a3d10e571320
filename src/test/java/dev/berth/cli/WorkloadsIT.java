package dev.berth.cli;

import static dev.berth.cli.Scenarios.events;
import static dev.berth.cli.Scenarios.inspect;
import static dev.berth.cli.Scenarios.status;
import static dev.berth.cli.Scenarios.statusObject;
import static dev.berth.cli.Scenarios.statusPod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodEvents;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.CronJobController;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policy with CrashLoopBackOff, a Job to completion, a CronJob's run: through real runc. */
class WorkloadsIT {

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

    static final String CRASHING = """
            apiVersion: v1
            kind: Pod
            metadata: {name: crash}
            spec:
              restartPolicy: Always
              terminationGracePeriodSeconds: 1
              containers:
                - {name: main, image: "busybox:1.35", command: [sh, -c, "echo crashing; exit 1"]}
            """;

    static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: batch}
            spec:
              completions: 2
              parallelism: 1
              template:
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 1
                  containers:
                    - {name: main, image: "busybox:1.35", command: [sh, -c, "echo working; sleep 1; echo done"]}
            """;

    static final String CRONJOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: tick}
            spec:
              schedule: "* * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      terminationGracePeriodSeconds: 1
                      containers:
                        - {name: main, image: "busybox:1.35", command: [sh, -c, "echo tick"]}
            """;

    private static List<PodSnapshot> ownedBy(NodeFixture node, String kind, String name) {
        ResourceKey owner = new ResourceKey(kind, "default", name);
        return node.pods(p -> p.owner().filter(owner::equals).isPresent()).stream()
                .sorted(Comparator.comparing(p -> p.record().createdAt())).toList();
    }

    /**
     * {@code restartPolicy: Always} on a container that exits at once: the first restart is immediate, then the
     * kubelet's CrashLoopBackOff waits 10 s, 20 s, 40 s... So an {@code apply --wait} of 40 s sees three restarts,
     * gives up (exit 1) and leaves the pod in CrashLoopBackOff.
     */
    @Test
    void aCrashLoopingContainerBacksOffTenSecondsDoubling() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("crash.yaml", CRASHING);
            Instant applyStart = Instant.now();
            CliRun run = Scenarios.apply(node, "40s", "--wait");
            Duration took = Duration.between(applyStart, Instant.now());
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("gave up waiting"), run.toString());
            assertTrue(took.compareTo(Duration.ofSeconds(40)) >= 0 && took.compareTo(Duration.ofSeconds(50)) < 0,
                    "waited out its timeout: " + took);

            PodSnapshot crash = node.pod("crash");
            List<Instant> starts = events(node, crash, "Started").stream().map(PodEvents.Event::at).toList();
            assertEquals(4, starts.size(), "the first start and three restarts in 40 s: " + events(node, crash));
            assertTrue(Duration.between(applyStart, starts.get(0)).compareTo(Duration.ofSeconds(5)) < 0,
                    "the pod started soon after the apply began: " + starts);
            long[] expectedWaits = {0, 10, 20};
            for (int i = 1; i < starts.size(); i++) {
                Duration gap = Duration.between(starts.get(i - 1), starts.get(i));
                Duration expected = Duration.ofSeconds(expectedWaits[i - 1]);
                // the container runs for milliseconds; the rest is the backoff and a pass noticing the exit
                assertTrue(gap.compareTo(expected.minusMillis(500)) >= 0 && gap.compareTo(expected.plusSeconds(4)) < 0,
                        "restart " + i + " came " + gap + " after the previous start, expected about " + expected
                                + ": " + starts);
            }
            List<String> backOffs = events(node, crash, "BackOff").stream().map(PodEvents.Event::message).toList();
            assertEquals(3, backOffs.size(), backOffs.toString());
            assertTrue(backOffs.get(0).startsWith("Back-off 10s restarting failed container main"), backOffs.toString());
            assertTrue(backOffs.get(1).startsWith("Back-off 20s "), backOffs.toString());
            assertTrue(backOffs.get(2).startsWith("Back-off 40s "), backOffs.toString());

            assertEquals(3, crash.restarts());
            assertFalse(crash.running("main"));
            assertEquals("CrashLoopBackOff", crash.reason());
            Map<String, Object> status = status(node);
            Map<String, Object> pod = statusPod(status, "crash");
            assertEquals("CrashLoopBackOff", pod.get("status"), pod.toString());
            assertEquals(3, pod.get("restarts"));
            @SuppressWarnings("unchecked")
            Map<String, Object> lastExit = (Map<String, Object>) pod.get("lastExit");
            assertEquals(1, lastExit.get("exitCode"), pod.toString());
            assertEquals("Error", lastExit.get("reason"), pod.toString());
            assertEquals("Degraded", statusObject(status, "Pod", "crash").get("health"));

            CliRun described = inspect(node, "describe", "pod", "crash");
            assertTrue(described.out().matches("(?s).*Reason:\\s+CrashLoopBackOff\n.*"), described.out());
            assertTrue(described.out().matches("(?s).*Warning\\s+BackOff\\s+.*Back-off 40s restarting failed container.*"),
                    described.out());
            CliRun logs = inspect(node, "logs", "crash");
            assertEquals("crashing\n", logs.out(), logs.toString());
        }
    }

    @Test
    void aJobRunsItsCompletionsOneAtATimeAndIsHealthyComplete() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("job.yaml", JOB);
            CliRun run = node.apply("--wait");
            assertEquals(0, run.exitCode(), run.toString());

            List<PodSnapshot> pods = ownedBy(node, "Job", "batch");
            assertEquals(2, pods.size(), pods.toString());
            for (PodSnapshot p : pods) {
                assertEquals(PodPhase.SUCCEEDED, p.phase(), p.toString());
                assertEquals(0, p.restarts());
                assertEquals("batch", p.record().pod().getMetadata().getLabels().get("job-name"));
            }
            Instant firstFinished = pods.get(0).containers().get("main").finishedAt();
            Instant secondStarted = pods.get(1).state().containers().get("main").startedAt();
            assertTrue(!secondStarted.isBefore(firstFinished),
                    "parallelism 1: the second pod started " + secondStarted + ", after the first finished " + firstFinished);

            Map<String, Object> job = statusObject(status(node), "Job", "batch");
            assertEquals("Healthy", job.get("health"), job.toString());
            assertEquals("Complete 2/2", job.get("message"), job.toString());
            CliRun logs = inspect(node, "logs", pods.get(1).record().name());
            assertEquals("working\ndone\n", logs.out(), logs.toString());

            CliRun again = node.apply("--wait");
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(pods.stream().map(PodSnapshot::id).toList(),
                    ownedBy(node, "Job", "batch").stream().map(PodSnapshot::id).toList(), "a finished Job runs no more pods");
        }
    }

    /**
     * Until watch mode, nothing runs between applies: a CronJob's run starts at the first apply after its time.
     * A user runs {@code berth apply --wait} from a timer (cron, systemd); this test does the same every 5 s and
     * sees the every-minute CronJob's first run start within the minute after the first apply and complete.
     */
    @Test
    void aCronJobRunsAtItsScheduleWhenApplyIsRunPeriodically() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("cron.yaml", CRONJOB);
            Instant applied = Instant.now();
            CliRun first = node.apply("--wait");
            assertEquals(0, first.exitCode(), first.toString());
            Map<String, Object> before = statusObject(status(node), "CronJob", "tick");
            assertEquals("Healthy", before.get("health"), before.toString());
            assertTrue(String.valueOf(before.get("message")).startsWith("next run "), before.toString());
            assertEquals(List.of(), ownedBy(node, "CronJob", "tick"), "no run before its time");

            Scenarios.awaitEvery("a run of the CronJob to complete", Duration.ofSeconds(5), Duration.ofSeconds(80), () -> {
                CliRun tick = node.apply("--wait");
                assertEquals(0, tick.exitCode(), tick.toString());
                return ownedBy(node, "CronJob", "tick").stream().anyMatch(p -> p.phase() == PodPhase.SUCCEEDED);
            });

            PodSnapshot ran = ownedBy(node, "CronJob", "tick").get(0);
            Instant scheduled = Instant.parse(ran.record().pod().getMetadata().getAnnotations()
                    .get(CronJobController.SCHEDULED_AT));
            assertEquals(0, scheduled.getEpochSecond() % 60, "runs at a whole minute: " + scheduled);
            assertTrue(scheduled.isAfter(applied) && scheduled.isBefore(applied.plusSeconds(61)),
                    "the first minute after the apply: " + scheduled + ", applied " + applied);
            assertTrue(ran.state().containers().get("main").startedAt().isBefore(scheduled.plusSeconds(10)),
                    "started within the polling interval of its time: " + ran);
            String jobName = ran.record().pod().getMetadata().getLabels().get("job-name");
            assertEquals("tick-" + scheduled.getEpochSecond() / 60, jobName);

            Map<String, Object> after = statusObject(status(node), "CronJob", "tick");
            assertEquals("Healthy", after.get("health"), after.toString());
            assertTrue(String.valueOf(after.get("message")).startsWith("last run ")
                    && String.valueOf(after.get("message")).endsWith("Complete"), after.toString());
            CliRun logs = inspect(node, "logs", ran.record().name());
            assertEquals("tick\n", logs.out(), logs.toString());
        }
    }
}
