package dev.berth.node.workload;

import static dev.berth.node.workload.DeploymentFixtures.deployment;
import static dev.berth.node.workload.DeploymentFixtures.hashOf;
import static dev.berth.node.workload.DeploymentFixtures.rollingUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.manifest.Manifest;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole rollouts on a simulated node, checking the RollingUpdate bounds after every decision. */
class DeploymentRolloutTest {

    /** replicas, the strategy as written, and maxSurge and maxUnavailable as they must resolve. */
    static Stream<Arguments> strategies() {
        return Stream.of(
                arguments(4L, rollingUpdate(1L, 1L), 1, 1),
                arguments(4L, rollingUpdate(0L, 1L), 0, 1),
                arguments(4L, rollingUpdate(2L, 0L), 2, 0),
                // 2.5 pods: surge rounds up, unavailability down
                arguments(10L, rollingUpdate("25%", "25%"), 3, 2),
                arguments(3L, rollingUpdate("10%", "10%"), 1, 0),
                // neither may be zero together: one pod may then be unavailable
                arguments(3L, rollingUpdate("0%", 0L), 0, 1),
                arguments(1L, rollingUpdate(0L, "100%"), 0, 1),
                // no strategy: RollingUpdate with 25% each
                arguments(5L, null, 2, 1));
    }

    @ParameterizedTest(name = "{0} replicas, {1}")
    @MethodSource("strategies")
    void rollsWithinTheBoundsAndEndsWithOnlyNewPods(long replicas, Object strategy, int maxSurge,
                                                     int maxUnavailable) {
        DeploymentFakeNode node = new DeploymentFakeNode();
        settle(node, deployment("web:1", "replicas", replicas, "strategy", strategy));
        Manifest v2 = deployment("web:2", "replicas", replicas, "strategy", strategy);

        WorkloadDecision first = node.pass(v2);
        // From a settled Deployment the first step uses the whole of both allowances.
        assertEquals(maxSurge, first.create().size(), "pods surged");
        assertEquals(maxUnavailable, first.delete().size(), "old pods deleted");
        rollOut(node, v2, (int) replicas, maxSurge, maxUnavailable, first);
    }

    @Test
    void aSecondChangeMidRolloutRollsOnToTheNewest() {
        Object strategy = rollingUpdate(1L, 1L);
        DeploymentFakeNode node = new DeploymentFakeNode();
        settle(node, deployment("web:1", "replicas", 4L, "strategy", strategy));
        Manifest v2 = deployment("web:2", "replicas", 4L, "strategy", strategy);
        for (int i = 0; i < 2; i++) {
            node.pass(v2);
        }
        String v2Hash = hashOf(v2);
        assertTrue(node.pods().stream().anyMatch(pod -> v2Hash.equals(pod.labels().get(DeploymentPods.HASH_LABEL))));

        Manifest v3 = deployment("web:3", "replicas", 4L, "strategy", strategy);
        rollOut(node, v3, 4, 1, 1, node.pass(v3));
    }

    @Test
    void aRolloutThatNeverBecomesReadyKeepsTheOldPodsAndMissesItsDeadline() {
        Object strategy = rollingUpdate(1L, 0L);
        DeploymentFakeNode node = new DeploymentFakeNode();
        settle(node, deployment("web:1", "replicas", 3L, "strategy", strategy));
        Manifest broken = deployment("web:broken", "replicas", 3L, "strategy", strategy,
                "progressDeadlineSeconds", 60L);

        Instant start = node.now().plusSeconds(10);
        for (int i = 0; i < 10; i++) {
            WorkloadDecision decision = node.pass(broken);
            assertEquals(3, node.available(), "old pods kept serving");
            assertTrue(node.pods().size() <= 4, "within the surge");
            boolean overdue = node.now().isAfter(start.plusSeconds(60));
            assertEquals(overdue ? Health.DEGRADED : Health.PROGRESSING, decision.health(), decision.message());
        }

        // A fixed template is a new rollout with a fresh deadline; the broken pods go at once.
        Manifest fixed = deployment("web:3", "replicas", 3L, "strategy", strategy, "progressDeadlineSeconds", 60L);
        WorkloadDecision decision = node.pass(fixed);
        assertEquals(Health.PROGRESSING, decision.health());
        assertEquals(1, decision.delete().size(), "the broken pod");
        rollOut(node, fixed, 3, 1, 0, decision);
    }

    private static void settle(DeploymentFakeNode node, Manifest deployment) {
        for (int pass = 0; node.pass(deployment).health() != Health.HEALTHY; pass++) {
            assertTrue(pass < 10, "the first version settles");
        }
    }

    /** Passes until healthy, checking the bounds after each decision, the given one first. */
    private static void rollOut(DeploymentFakeNode node, Manifest target, int replicas, int maxSurge,
                                int maxUnavailable, WorkloadDecision first) {
        WorkloadDecision decision = first;
        for (int pass = 1; ; pass++) {
            String step = "pass " + pass + ": " + node.pods();
            assertTrue(node.available() >= replicas - maxUnavailable, "too few available, " + step);
            assertTrue(node.pods().size() <= replicas + maxSurge, "too many pods, " + step);
            if (decision.health() == Health.HEALTHY) {
                break;
            }
            assertTrue(pass < 50, "the rollout finishes");
            decision = node.pass(target);
        }
        String hash = hashOf(target);
        assertEquals(replicas, node.pods().size());
        assertTrue(node.pods().stream().allMatch(pod -> hash.equals(pod.labels().get(DeploymentPods.HASH_LABEL))
                && !pod.terminating()), node.pods().toString());
    }
}
