package dev.berth.node.workload;

import static dev.berth.node.workload.DeploymentFixtures.T0;
import static dev.berth.node.workload.DeploymentFixtures.deployment;
import static dev.berth.node.workload.DeploymentFixtures.finished;
import static dev.berth.node.workload.DeploymentFixtures.hashOf;
import static dev.berth.node.workload.DeploymentFixtures.pod;
import static dev.berth.node.workload.DeploymentFixtures.ready;
import static dev.berth.node.workload.DeploymentFixtures.restarted;
import static dev.berth.node.workload.DeploymentFixtures.rollingUpdate;
import static dev.berth.node.workload.DeploymentFixtures.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manifest.Annotations;
import dev.berth.manifest.Manifest;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single decisions of the Deployment controller on pods set up by hand. */
class DeploymentControllerTest {

    private final DeploymentController controller = new DeploymentController();

    private WorkloadDecision decide(Manifest deployment, List<PodView> pods, Instant now) {
        return decide(deployment, Map.of(), pods, now);
    }

    private WorkloadDecision decide(Manifest deployment, Map<String, String> memo, List<PodView> pods, Instant now) {
        return controller.decide(new Workload(deployment, memo), pods, now);
    }

    @Test
    void createsNamedLabelledPodsEachWithItsOwnTemplate() {
        Manifest web = deployment("web:1", "replicas", 2L);
        String hash = hashOf(web);
        WorkloadDecision decision = decide(web, List.of(), T0);

        assertEquals(2, decision.create().size());
        for (Pod pod : decision.create()) {
            assertTrue(pod.getMetadata().getName().matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}"),
                    pod.getMetadata().getName());
            assertEquals(Map.of("app", "web", "pod-template-hash", hash), pod.getMetadata().getLabels());
            assertEquals("shop", pod.getMetadata().getNamespace());
            assertEquals("Deployment/shop/web", pod.getMetadata().getAnnotations().get(Annotations.OWNER));
            assertEquals("web:1", pod.getSpec().getContainers().get(0).getImage());
        }
        assertNotSame(decision.create().get(0).getSpec(), decision.create().get(1).getSpec());
        assertEquals(hash, hashOf(deployment("web:1", "replicas", 5L)), "replicas are not part of the template");
    }

    @Test
    void scalesTwoToFiveToOne() {
        DeploymentFakeNode node = new DeploymentFakeNode();
        Manifest two = deployment("web:1", "replicas", 2L);
        assertEquals(2, node.pass(two).create().size());
        assertEquals(Health.HEALTHY, node.pass(two).health());
        Set<String> firstTwo = Set.copyOf(node.pods().stream().map(PodView::id).toList());

        Manifest five = deployment("web:1", "replicas", 5L);
        WorkloadDecision up = node.pass(five);
        assertEquals(3, up.create().size(), "25% of 5 lets all three start at once");
        assertEquals(List.of(), up.delete());
        assertEquals(Health.PROGRESSING, up.health());
        assertEquals("2/5 ready, scaling", up.message());
        assertEquals(Health.HEALTHY, node.pass(five).health());

        Manifest one = deployment("web:1", "replicas", 1L);
        WorkloadDecision down = node.pass(one);
        assertEquals(0, down.create().size());
        assertEquals(4, down.delete().size());
        String kept = node.pods().stream().filter(pod -> !pod.terminating()).findFirst().orElseThrow().id();
        assertTrue(firstTwo.contains(kept), "the newest pods go first");
        assertEquals(Health.HEALTHY, node.pass(one).health());
        assertEquals(1, node.pods().size());
    }

    @Test
    void scaleDownRemovesPodsNotReadyThenTheNewest() {
        Manifest web = deployment("web:1", "replicas", 2L);
        String hash = hashOf(web);
        List<PodView> pods = List.of(
                pod("oldest-unready", hash, T0, null),
                pod("older", hash, T0.plusSeconds(1), T0.plusSeconds(5)),
                pod("newest", hash, T0.plusSeconds(3), T0.plusSeconds(5)),
                pod("newer", hash, T0.plusSeconds(2), T0.plusSeconds(5)));

        WorkloadDecision decision = decide(web, pods, T0.plusSeconds(60));

        assertEquals(Set.of("oldest-unready", "newest"), Set.copyOf(decision.delete()));
        assertEquals(0, decision.create().size());
    }

    @Test
    void finishedPodsAreRemovedAndReplacedOnce() {
        Manifest web = deployment("web:1", "replicas", 2L);
        String hash = hashOf(web);
        PodView failed = finished(ready("failed", hash), PodPhase.FAILED);
        PodView removing = terminating(finished(ready("removing", hash), PodPhase.SUCCEEDED));

        WorkloadDecision decision = decide(web, List.of(ready("a", hash), failed, removing), T0);

        assertEquals(List.of("failed"), decision.delete());
        assertEquals(1, decision.create().size());
    }

    @Test
    void terminatingPodsCountAgainstTheSurge() {
        Manifest v2 = deployment("web:2", "replicas", 2L, "strategy", rollingUpdate(1L, 0L));
        List<PodView> old = List.of(ready("a", "old"), ready("b", "old"));

        assertEquals(1, decide(v2, old, T0).create().size());
        List<PodView> withStopping = List.of(ready("a", "old"), ready("b", "old"), terminating(ready("c", "old")));
        WorkloadDecision decision = decide(v2, withStopping, T0);
        assertEquals(0, decision.create().size());
        assertEquals(List.of(), decision.delete(), "maxUnavailable 0 keeps both available pods");
    }

    @Test
    void recreateStopsEveryOldPodBeforeStartingNewOnes() {
        Manifest v2 = deployment("web:2", "replicas", 3L, "strategy", Map.of("type", "Recreate"));
        List<PodView> old = List.of(ready("a", "old"), ready("b", "old"), pod("c", "old", T0, null));

        WorkloadDecision stop = decide(v2, old, T0);
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(stop.delete()));
        assertEquals(0, stop.create().size());

        WorkloadDecision wait = decide(v2, List.of(terminating(ready("a", "old"))), T0.plusSeconds(5));
        assertEquals(0, wait.create().size(), "an old pod is still stopping");
        assertEquals(List.of(), wait.delete());
        assertEquals(Health.PROGRESSING, wait.health());

        assertEquals(3, decide(v2, List.of(), T0.plusSeconds(10)).create().size());
    }

    @Test
    void pausedChangesNothingAndRestartsTheDeadlineOnResume() {
        Manifest paused = deployment("web:2", "replicas", 2L, "paused", true, "progressDeadlineSeconds", 60L);
        String hash = hashOf(paused);
        List<PodView> pods = List.of(ready("a", "old"), finished(ready("b", "old"), PodPhase.FAILED));
        Map<String, String> memo = Map.of(DeploymentController.ROLLOUT_HASH, hash,
                DeploymentController.ROLLOUT_START, T0.toString());

        WorkloadDecision decision = decide(paused, memo, pods, T0.plusSeconds(300));
        assertEquals(0, decision.create().size());
        assertEquals(List.of(), decision.delete());
        assertEquals(Health.SUSPENDED, decision.health());
        assertEquals("paused, 0/2 ready", decision.message());

        Manifest resumed = deployment("web:2", "replicas", 2L, "progressDeadlineSeconds", 60L);
        WorkloadDecision after = decide(resumed, decision.memo(), pods, T0.plusSeconds(310));
        assertEquals(Health.PROGRESSING, after.health(), after.message());
        assertEquals(T0.plusSeconds(310).toString(), after.memo().get(DeploymentController.ROLLOUT_START));
    }

    @Test
    void oldPodsStayUntilNewOnesHaveBeenReadyForMinReadySeconds() {
        Manifest v2 = deployment("web:2", "strategy", rollingUpdate(1L, 0L), "minReadySeconds", 30L);
        String hash = hashOf(v2);
        List<PodView> pods = List.of(ready("old", "old"), pod("new", hash, T0, T0.plusSeconds(10)));

        WorkloadDecision early = decide(v2, pods, T0.plusSeconds(39));
        assertEquals(List.of(), early.delete());
        assertEquals(0, early.create().size());
        assertEquals("0/1 ready, rolling out " + hash, early.message());

        WorkloadDecision available = decide(v2, pods, T0.plusSeconds(40));
        assertEquals(List.of("old"), available.delete());
    }

    @Test
    void healthyWhenAllReplicasAreNewAndAvailable() {
        Manifest web = deployment("web:1", "replicas", 2L);
        String hash = hashOf(web);
        Map<String, String> rolling = Map.of(DeploymentController.ROLLOUT_HASH, hash,
                DeploymentController.ROLLOUT_START, T0.toString());

        WorkloadDecision decision = decide(web, rolling, List.of(ready("a", hash), ready("b", hash)), T0);

        assertEquals(Health.HEALTHY, decision.health());
        assertEquals("2/2 ready", decision.message());
        assertEquals(Map.of(), decision.memo(), "a finished rollout needs no clock");
        assertEquals(Health.PROGRESSING,
                decide(web, List.of(ready("a", hash), ready("b", hash), terminating(ready("c", "old"))), T0).health(),
                "an old pod is still stopping");
    }

    @Test
    void degradedWhenACurrentPodCrashLoops() {
        Manifest web = deployment("web:1", "replicas", 2L);
        String hash = hashOf(web);
        PodView twice = restarted(pod("b", hash, T0, null), 2);

        assertEquals(Health.PROGRESSING, decide(web, List.of(ready("a", hash), twice), T0).health());
        WorkloadDecision crashing = decide(web, List.of(ready("a", hash), restarted(twice, 3)), T0);
        assertEquals(Health.DEGRADED, crashing.health());
        assertEquals("1/2 ready, pod web-" + hash + "-b not ready after 3 restarts", crashing.message());
    }

    @Test
    void degradedOnceTheRolloutOutlivesItsProgressDeadline() {
        Manifest v2 = deployment("web:2", "progressDeadlineSeconds", 120L);
        String hash = hashOf(v2);
        List<PodView> pods = List.of(ready("old", "old"), pod("new", hash, T0, null));

        WorkloadDecision started = decide(v2, Map.of(DeploymentController.ROLLOUT_HASH, "other",
                DeploymentController.ROLLOUT_START, T0.minusSeconds(3600).toString()), pods, T0);
        assertEquals(Health.PROGRESSING, started.health(), "another template's clock does not count");
        assertEquals(Map.of(DeploymentController.ROLLOUT_HASH, hash, DeploymentController.ROLLOUT_START,
                T0.toString(), JobController.NEXT_DECISION_AT, T0.plusSeconds(121).toString()), started.memo(),
                "the node is woken when the deadline has passed, with no other trigger");

        assertEquals(Health.PROGRESSING, decide(v2, started.memo(), pods, T0.plusSeconds(120)).health());
        WorkloadDecision late = decide(v2, started.memo(), pods, T0.plusSeconds(121));
        assertEquals(Health.DEGRADED, late.health());
        assertTrue(late.message().contains("progress deadline"), late.message());
        assertEquals(T0.toString(), late.memo().get(DeploymentController.ROLLOUT_START), "the clock keeps its start");
        assertFalse(late.memo().containsKey(JobController.NEXT_DECISION_AT), "nothing more is due by the clock");
    }

    /** A ready pod becomes available minReadySeconds later: the rollout's next step is due then, unprompted. */
    @Test
    void theNextStepIsDueWhenAReadyPodHasBeenReadyForMinReadySeconds() {
        Manifest v2 = deployment("web:2", "minReadySeconds", 30L, "strategy", rollingUpdate(1, 0));
        String hash = hashOf(v2);
        Instant longAgo = T0.minusSeconds(3600);
        List<PodView> pods = List.of(pod("old", "old", longAgo, longAgo), pod("new", hash, T0, T0.plusSeconds(5)));

        WorkloadDecision waiting = decide(v2, pods, T0.plusSeconds(10));
        assertEquals(List.of(), waiting.delete(), "the new pod is not available yet");
        assertEquals(T0.plusSeconds(35).toString(), waiting.memo().get(JobController.NEXT_DECISION_AT));
        assertEquals(List.of("old"), decide(v2, waiting.memo(), pods, T0.plusSeconds(35)).delete());
    }

    @Test
    void zeroReplicasRemovesEveryPodThenIsHealthy() {
        Manifest none = deployment("web:2", "replicas", 0L);
        String hash = hashOf(none);

        WorkloadDecision decision = decide(none, List.of(ready("a", hash), ready("b", "old")), T0);
        assertEquals(Set.of("a", "b"), Set.copyOf(decision.delete()));
        assertEquals(0, decision.create().size());
        assertEquals(Health.HEALTHY, decide(none, List.of(), T0).health());
    }
}
