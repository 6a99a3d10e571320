package dev.berth.node.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manifest.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobControllerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aJobWithDefaultsRunsOnePodNamedAndLabelledAsKubernetesDoes() {
        SimulatedBatchNode node = node("");
        WorkloadDecision decision = node.pass(T0);

        assertEquals(1, decision.create().size());
        Pod pod = decision.create().get(0);
        assertTrue(pod.getMetadata().getName().matches("migrate-[bcdfghjklmnpqrstvwxz2456789]{5}"),
                pod.getMetadata().getName());
        assertEquals("shop", pod.getMetadata().getNamespace());
        assertEquals(Map.of("app", "migrate", "job-name", "migrate", "batch.kubernetes.io/job-name", "migrate"),
                pod.getMetadata().getLabels());
        assertEquals("Job/shop/migrate", pod.getMetadata().getAnnotations().get(Annotations.OWNER));
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals(Health.PROGRESSING, decision.health());
        assertEquals("0/1 succeeded, 1 active", decision.message());
        assertEquals(T0.toString(), decision.memo().get("startTime"));

        assertTrue(node.pass(T0.plusSeconds(5)).create().isEmpty(), "the running pod is enough");
    }

    @Test
    void keepsParallelismPodsActiveUntilCompletionsSucceeded() {
        SimulatedBatchNode node = node("completions: 3\nparallelism: 2\n");
        assertEquals(2, node.pass(T0).create().size());
        assertEquals("0/3 succeeded, 2 active", node.pass(T0.plusSeconds(1)).message());

        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision third = node.pass(T0.plusSeconds(10));
        assertEquals(1, third.create().size(), "a finished pod's slot is refilled");
        assertEquals("1/3 succeeded, 2 active", third.message());

        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision oneToGo = node.pass(T0.plusSeconds(20));
        assertTrue(oneToGo.create().isEmpty(), "one completion left needs one pod, not parallelism");
        assertEquals("2/3 succeeded, 1 active", oneToGo.message());

        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        WorkloadDecision complete = node.pass(T0.plusSeconds(30));
        assertEquals(Health.HEALTHY, complete.health());
        assertEquals("Complete 3/3", complete.message());
        assertEquals("Complete", complete.memo().get("condition"));
        assertTrue(complete.create().isEmpty() && complete.delete().isEmpty());
        assertEquals(3, node.pods().size(), "finished pods are kept");
    }

    @Test
    void noPodIsEverCreatedAfterCompletionEvenWhenItsPodsAreGone() {
        SimulatedBatchNode node = node("");
        node.pass(T0);
        node.finish(node.running().get(0), PodPhase.SUCCEEDED);
        node.pass(T0.plusSeconds(10));

        JobController controller = new JobController();
        WorkloadDecision later = controller.decide(new Workload(SimulatedBatchNode.load(job("")), node.memo()),
                List.of(), T0.plusSeconds(3600));
        assertTrue(later.create().isEmpty());
        assertEquals(Health.HEALTHY, later.health());
        assertEquals("Complete", later.memo().get("condition"));
    }

    @Test
    void failedPodsBeyondBackoffLimitFailTheJobAndStopTheRest() {
        SimulatedBatchNode node = node("completions: 4\nparallelism: 2\nbackoffLimit: 1\n");
        node.pass(T0);
        node.finish(node.running().get(0), PodPhase.FAILED);
        WorkloadDecision oneFailure = node.pass(T0.plusSeconds(1));
        assertEquals(Health.PROGRESSING, oneFailure.health(), "one failure is within backoffLimit 1");
        assertEquals("0/4 succeeded, 1 active, 1 failed", oneFailure.message());
        assertEquals(1, node.pass(T0.plusSeconds(11)).create().size(), "replaced after the 10 s backoff");

        node.finish(node.running().get(1), PodPhase.FAILED);
        PodView survivor = node.running().get(0);
        WorkloadDecision failed = node.pass(T0.plusSeconds(12));
        assertEquals(Health.DEGRADED, failed.health());
        assertEquals("BackoffLimitExceeded", failed.message());
        assertEquals(List.of(survivor.id()), failed.delete());
        assertEquals("Failed", failed.memo().get("condition"));
        assertEquals("BackoffLimitExceeded", failed.memo().get("reason"));

        WorkloadDecision later = node.pass(T0.plusSeconds(3600));
        assertTrue(later.create().isEmpty());
        assertEquals(Health.DEGRADED, later.health());
    }

    @Test
    void replacementsWaitABackoffThatDoublesUpToSixMinutes() {
        SimulatedBatchNode node = node("backoffLimit: 20\n");
        Instant t = T0;
        node.pass(t);
        for (long delay : new long[] {10, 20, 40, 80, 160, 320, 360, 360}) {
            node.finish(node.running().get(0), PodPhase.FAILED);
            t = t.plusSeconds(3); // the failure is first seen here
            WorkloadDecision seen = node.pass(t);
            assertTrue(seen.create().isEmpty(), "no replacement right after a failure");
            assertEquals(t.plusSeconds(delay).toString(), seen.memo().get(JobController.NEXT_DECISION_AT));
            assertTrue(node.pass(t.plusSeconds(delay - 1)).create().isEmpty(), delay + " s not over yet");
            t = t.plusSeconds(delay);
            assertEquals(1, node.pass(t).create().size(), "replaced after " + delay + " s");
        }
    }

    @Test
    void activeDeadlineCountsFromTheFirstPod() {
        SimulatedBatchNode node = node("activeDeadlineSeconds: 60\n");
        node.pass(T0);
        WorkloadDecision before = node.pass(T0.plusSeconds(59));
        assertEquals(Health.PROGRESSING, before.health());
        assertEquals(T0.plusSeconds(60).toString(), before.memo().get(JobController.NEXT_DECISION_AT));

        String pod = node.running().get(0).id();
        WorkloadDecision past = node.pass(T0.plusSeconds(60));
        assertEquals(List.of(pod), past.delete());
        assertEquals(Health.DEGRADED, past.health());
        assertEquals("DeadlineExceeded", past.message());
        assertNull(past.memo().get(JobController.NEXT_DECISION_AT));
        assertTrue(node.pass(T0.plusSeconds(600)).create().isEmpty());
    }

    @Test
    void suspendStopsThePodsAndResumingStartsTheDeadlineOver() {
        SimulatedBatchNode node = node("activeDeadlineSeconds: 100\n");
        node.pass(T0);
        String pod = node.running().get(0).id();

        node.apply(job("activeDeadlineSeconds: 100\nsuspend: true\n"));
        WorkloadDecision suspended = node.pass(T0.plusSeconds(50));
        assertEquals(List.of(pod), suspended.delete());
        assertEquals(Health.SUSPENDED, suspended.health());
        assertFalse(suspended.memo().containsKey("startTime"));
        assertTrue(node.pass(T0.plusSeconds(500)).create().isEmpty());

        node.apply(job("activeDeadlineSeconds: 100\n"));
        Instant resumed = T0.plusSeconds(1000);
        assertEquals(1, node.pass(resumed).create().size());
        assertEquals(Health.PROGRESSING, node.pass(resumed.plusSeconds(99)).health());
        assertEquals("DeadlineExceeded", node.pass(resumed.plusSeconds(100)).message());
    }

    @Test
    void aJobSuspendedFromTheStartRunsNothing() {
        WorkloadDecision decision = node("suspend: true\n").pass(T0);
        assertTrue(decision.create().isEmpty());
        assertEquals(Health.SUSPENDED, decision.health());
        assertEquals("Suspended", decision.message());
    }

    @Test
    void withOnFailureContainerRestartsCountTowardsTheBackoffLimit() {
        SimulatedBatchNode node = new SimulatedBatchNode(new JobController(),
                job("backoffLimit: 2\n").replace("restartPolicy: Never", "restartPolicy: OnFailure"));
        node.pass(T0);
        node.restart(node.running().get(0));
        node.restart(node.running().get(0));
        assertEquals(Health.PROGRESSING, node.pass(T0.plusSeconds(60)).health());

        node.restart(node.running().get(0));
        WorkloadDecision failed = node.pass(T0.plusSeconds(120));
        assertEquals("BackoffLimitExceeded", failed.message());
        assertEquals(1, failed.delete().size());
    }

    @Test
    void loweringParallelismStopsTheNewestPods() {
        SimulatedBatchNode node = node("completions: 5\nparallelism: 2\n");
        node.pass(T0);
        node.apply(job("completions: 5\nparallelism: 3\n"));
        node.pass(T0.plusSeconds(10));
        List<PodView> three = node.running();
        assertEquals(3, three.size());

        node.apply(job("completions: 5\nparallelism: 1\n"));
        WorkloadDecision lowered = node.pass(T0.plusSeconds(20));
        assertEquals(List.of(three.get(2).id(), three.get(1).id()), lowered.delete());
        assertEquals("0/5 succeeded, 1 active", lowered.message());
    }

    @Test
    void aTerminatingPodKeepsItsSlotAndIsNoFailure() {
        SimulatedBatchNode node = node("");
        node.stopSlowly();
        node.pass(T0);
        node.apply(job("suspend: true\n"));
        node.pass(T0.plusSeconds(10));
        PodView stopping = node.pods().get(0);
        assertTrue(stopping.terminating());

        node.apply(job(""));
        assertTrue(node.pass(T0.plusSeconds(20)).create().isEmpty(), "the stopping pod still runs");
        node.finish(stopping, PodPhase.FAILED); // killed by the stop
        WorkloadDecision decision = node.pass(T0.plusSeconds(21));
        assertEquals(1, decision.create().size(), "no backoff: stopping it was no failure");
        assertFalse(decision.memo().containsKey("failures"));
        assertTrue(decision.delete().isEmpty(), "a terminating pod is not deleted twice");
    }

    private static SimulatedBatchNode node(String spec) {
        return new SimulatedBatchNode(new JobController(), job(spec));
    }

    private static String job(String spec) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate, namespace: shop}
                spec:
                """ + spec.indent(2) + """
                  template:
                    metadata:
                      labels: {app: migrate}
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: docker.io/library/busybox:1.36
                """;
    }
}
