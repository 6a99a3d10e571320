package dev.berth.node.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manifest.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronJobControllerTest {

    private static final String HOURLY = "schedule: \"0 * * * *\"\ntimeZone: UTC\n";

    @Test
    void runsAtTheScheduleTimesOfItsTimeZone() {
        SimulatedBatchNode node = node("schedule: \"0 9 * * *\"\ntimeZone: America/New_York\n");
        WorkloadDecision first = node.pass(at("10:00"));
        assertTrue(first.create().isEmpty());
        assertEquals(Health.HEALTHY, first.health());
        assertEquals("next run 2026-11-29T14:00:00Z", first.message(), "09:00 in New York");
        assertEquals("2026-11-29T14:00:00Z", first.memo().get(JobController.NEXT_DECISION_AT));
        assertTrue(node.pass(at("13:59:59")).create().isEmpty());

        WorkloadDecision run = node.pass(at("14:00:20"));
        assertEquals(1, run.create().size());
        Pod pod = run.create().get(0);
        String job = "report-" + at("14:00").getEpochSecond() / 60;
        assertEquals(job, pod.getMetadata().getLabels().get("job-name"));
        assertEquals(job, pod.getMetadata().getLabels().get("batch.kubernetes.io/job-name"));
        assertTrue(pod.getMetadata().getName().startsWith(job + "-"), pod.getMetadata().getName());
        assertEquals("2026-11-29T14:00:00Z", pod.getMetadata().getAnnotations().get(CronJobController.SCHEDULED_AT));
        assertEquals("CronJob/shop/report", pod.getMetadata().getAnnotations().get(Annotations.OWNER));
        assertEquals(Health.PROGRESSING, run.health());
        assertEquals("run 2026-11-29T14:00:00Z: 0/1 succeeded, 1 active", run.message());
        assertEquals("2026-11-30T14:00:00Z", run.memo().get(JobController.NEXT_DECISION_AT));
        assertTrue(node.pass(at("14:00:30")).create().isEmpty(), "one run per scheduled time");

        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision done = node.pass(at("14:01"));
        assertEquals(Health.HEALTHY, done.health());
        assertEquals("last run 2026-11-29T14:00:00Z: Complete", done.message());
    }

    @Test
    void theFirstDecisionDoesNotRunTimesBeforeIt() {
        SimulatedBatchNode node = node("schedule: \"* * * * *\"\ntimeZone: UTC\n");
        assertTrue(node.pass(at("10:00:30")).create().isEmpty(), "10:00 was before the CronJob was seen");
        assertEquals(1, node.pass(at("10:01")).create().size());
    }

    @Test
    void afterADowntimeOnlyTheLatestMissedTimeRuns() {
        SimulatedBatchNode node = node("schedule: \"*/10 * * * *\"\ntimeZone: UTC\n");
        node.pass(at("10:00"));
        Instant aYearLater = at("10:05").plus(Duration.ofDays(365));
        WorkloadDecision decision = node.pass(aYearLater);
        assertEquals(1, decision.create().size());
        assertEquals(at("10:00").plus(Duration.ofDays(365)).toString(),
                scheduledAt(decision.create().get(0)));
        assertEquals(at("10:00").plus(Duration.ofDays(365)).toString(),
                decision.memo().get(CronJobController.LAST_SCHEDULE_TIME));
    }

    @Test
    void ofMissedTimesCloseTogetherTheLatestRuns() {
        SimulatedBatchNode node = node("schedule: \"0-2 3 * * *\"\ntimeZone: UTC\n");
        node.pass(at("10:00"));
        WorkloadDecision decision = node.pass(at("03:10").plus(Duration.ofDays(2)));
        assertEquals(1, decision.create().size());
        assertEquals(at("03:02").plus(Duration.ofDays(2)).toString(), scheduledAt(decision.create().get(0)));
    }

    @Test
    void aTimeMissedByMoreThanStartingDeadlineSecondsIsNotRun() {
        SimulatedBatchNode node = node(HOURLY + "startingDeadlineSeconds: 300\n");
        node.pass(at("10:00"));
        WorkloadDecision late = node.pass(at("11:06"));
        assertTrue(late.create().isEmpty(), "11:00 is more than 5 minutes ago");
        assertEquals(at("10:00").toString(), late.memo().get(CronJobController.LAST_SCHEDULE_TIME));

        WorkloadDecision inTime = node.pass(at("12:04"));
        assertEquals(1, inTime.create().size());
        assertEquals(at("12:00").toString(), scheduledAt(inTime.create().get(0)));
    }

    @Test
    void forbidHoldsANewRunBackWhileOneIsActive() {
        SimulatedBatchNode node = node(HOURLY + "concurrencyPolicy: Forbid\nstartingDeadlineSeconds: 600\n");
        node.pass(at("10:00"));
        node.pass(at("11:00"));
        WorkloadDecision held = node.pass(at("12:00"));
        assertTrue(held.create().isEmpty());
        assertEquals(Health.PROGRESSING, held.health());
        assertEquals(at("11:00").toString(), held.memo().get(CronJobController.LAST_SCHEDULE_TIME));

        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision late = node.pass(at("12:05"));
        assertEquals(1, late.create().size(), "as in Kubernetes, 12:00 is still due within the deadline");
        assertEquals(at("12:00").toString(), scheduledAt(late.create().get(0)));

        assertTrue(node.pass(at("13:00")).create().isEmpty(), "12:00 still runs");
        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        assertTrue(node.pass(at("13:11")).create().isEmpty(), "13:00 is past its deadline now");
    }

    @Test
    void replaceStopsTheActiveRunForTheNewOne() {
        SimulatedBatchNode node = node(HOURLY + "concurrencyPolicy: Replace\n");
        node.stopSlowly();
        node.pass(at("10:00"));
        node.pass(at("11:00"));
        PodView old = node.running().get(0);

        WorkloadDecision replaced = node.pass(at("12:00"));
        assertEquals(List.of(old.id()), replaced.delete());
        assertEquals(1, replaced.create().size());
        assertEquals(at("12:00").toString(), scheduledAt(replaced.create().get(0)));
        assertEquals(String.valueOf(at("12:00").getEpochSecond() / 60), replaced.memo().get(CronJobController.RUNS));

        WorkloadDecision next = node.pass(at("12:00:10"));
        assertTrue(next.delete().isEmpty() && next.create().isEmpty(), "the stopping pod is left to stop");
        assertEquals("run 2026-11-29T12:00:00Z: 0/1 succeeded, 1 active", next.message());
    }

    @Test
    void allowRunsOverlappingRuns() {
        SimulatedBatchNode node = node(HOURLY);
        node.pass(at("10:00"));
        node.pass(at("11:00"));
        WorkloadDecision second = node.pass(at("12:00"));
        assertEquals(1, second.create().size());
        assertTrue(second.delete().isEmpty());
        assertEquals(2, node.running().size());
        assertEquals("run 2026-11-29T12:00:00Z: 0/1 succeeded, 1 active", second.message(), "the newest run shows");
    }

    @Test
    void finishedRunsBeyondTheHistoryLimitsAreDeletedAndAFailedLastRunDegrades() {
        SimulatedBatchNode node = node(HOURLY + "successfulJobsHistoryLimit: 2\nfailedJobsHistoryLimit: 1\n");
        node.pass(at("10:00"));
        PodPhase[] outcomes = {PodPhase.SUCCEEDED, PodPhase.SUCCEEDED, PodPhase.FAILED, PodPhase.SUCCEEDED,
                PodPhase.FAILED};
        for (int i = 0; i < outcomes.length; i++) {
            node.pass(at((11 + i) + ":00"));
            node.finish(node.running().get(0), outcomes[i]);
        }
        WorkloadDecision decision = node.pass(at("15:30"));
        assertEquals(Health.DEGRADED, decision.health());
        assertEquals("last run 2026-11-29T15:00:00Z: BackoffLimitExceeded", decision.message());
        // Kept: the two newest successes (12:00, 14:00) and the newest failure (15:00).
        assertEquals(List.of("2026-11-29T12:00:00Z", "2026-11-29T14:00:00Z", "2026-11-29T15:00:00Z"),
                node.pods().stream().map(p -> p.annotations().get(CronJobController.SCHEDULED_AT)).sorted().toList());
        assertEquals(3, decision.memo().get(CronJobController.RUNS).split(",").length);

        node.pass(at("16:00"));
        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision recovered = node.pass(at("16:01"));
        assertEquals(Health.HEALTHY, recovered.health());
        assertEquals(1, recovered.delete().size(), "12:00 is now the third success");
    }

    @Test
    void aRunRetriesFailedPodsAfterItsBackoffAndWakesTheNodeForIt() {
        SimulatedBatchNode node = node(HOURLY, "backoffLimit: 3");
        node.pass(at("10:00"));
        node.pass(at("11:00"));
        node.finish(node.running().get(0), PodPhase.FAILED);
        WorkloadDecision seen = node.pass(at("11:00:30"));
        assertTrue(seen.create().isEmpty());
        assertEquals(at("11:00:40").toString(), seen.memo().get(JobController.NEXT_DECISION_AT),
                "the backoff ends before the next scheduled run");
        assertEquals(1, node.pass(at("11:00:40")).create().size());
        assertEquals(Health.PROGRESSING, node.pass(at("11:00:41")).health());
    }

    @Test
    void suspendStartsNoRunsButLetsTheActiveOneFinish() {
        SimulatedBatchNode node = node(HOURLY);
        node.pass(at("10:00"));
        node.pass(at("11:00"));
        node.apply(cronJob(HOURLY + "suspend: true\n", ""));
        WorkloadDecision suspended = node.pass(at("12:00"));
        assertTrue(suspended.create().isEmpty() && suspended.delete().isEmpty());
        assertEquals(Health.SUSPENDED, suspended.health());
        assertEquals(1, node.running().size());

        node.apply(cronJob(HOURLY, ""));
        WorkloadDecision resumed = node.pass(at("12:30"));
        assertEquals(1, resumed.create().size(), "as in Kubernetes, without a starting deadline 12:00 still runs");
        assertEquals(at("12:00").toString(), scheduledAt(resumed.create().get(0)));
    }

    @Test
    void aBrokenScheduleDegradesAndStartsNothing() {
        SimulatedBatchNode node = node("schedule: \"61 * * * *\"\n");
        node.pass(at("10:00"));
        WorkloadDecision decision = node.pass(at("12:00"));
        assertTrue(decision.create().isEmpty());
        assertEquals(Health.DEGRADED, decision.health());
        assertEquals("schedule \"61 * * * *\": minute 61 is out of range 0-59", decision.message());
    }

    private static String scheduledAt(Pod pod) {
        return pod.getMetadata().getAnnotations().get(CronJobController.SCHEDULED_AT);
    }

    /** A time on 2026-11-29, UTC. */
    private static Instant at(String time) {
        return Instant.parse("2026-11-29T" + (time.length() == 5 ? time + ":00" : time) + "Z");
    }

    private static SimulatedBatchNode node(String spec) {
        return node(spec, "backoffLimit: 0");
    }

    private static SimulatedBatchNode node(String spec, String jobSpec) {
        return new SimulatedBatchNode(new CronJobController(), cronJob(spec, jobSpec));
    }

    private static String cronJob(String spec, String jobSpec) {
        return """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                """ + spec.indent(2) + """
                  jobTemplate:
                    spec:
                """ + jobSpec.indent(6) + """
                      template:
                        spec:
                          restartPolicy: Never
                          containers:
                            - name: report
                              image: docker.io/library/busybox:1.36
                """;
    }
}
