package dev.berth.node.workload;

import dev.berth.manifest.Manifest;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node in miniature, for rollouts over many passes: it carries out each decision, and by the next pass (ten
 * seconds on) created pods are ready and deleted ones gone. Pods whose image ends in {@code :broken} never
 * become ready.
 */
final class DeploymentFakeNode {

    private final DeploymentController controller = new DeploymentController();
    private final List<PodView> pods = new ArrayList<>();
    private final Set<String> broken = new HashSet<>();
    private Map<String, String> memo = Map.of();
    private Instant now = DeploymentFixtures.T0;

    /** One pass: time moves on, the last decision's pods settle, the controller decides and the node acts. */
    WorkloadDecision pass(Manifest deployment) {
        now = now.plusSeconds(10);
        pods.removeIf(PodView::terminating);
        pods.replaceAll(pod -> pod.ready() || broken.contains(pod.id()) ? pod : new PodView(pod.id(), pod.name(),
                pod.labels(), pod.annotations(), pod.createdAt(), PodPhase.RUNNING, true, now, 0, false));
        WorkloadDecision decision = controller.decide(new Workload(deployment, memo), List.copyOf(pods), now);
        memo = decision.memo();
        pods.replaceAll(pod -> decision.delete().contains(pod.id()) ? DeploymentFixtures.terminating(pod) : pod);
        for (Pod pod : decision.create()) {
            String name = pod.getMetadata().getName();
            if (pod.getSpec().getContainers().get(0).getImage().endsWith(":broken")) {
                broken.add(name);
            }
            pods.add(new PodView(name, name, pod.getMetadata().getLabels(), pod.getMetadata().getAnnotations(), now,
                    PodPhase.PENDING, false, null, 0, false));
        }
        return decision;
    }

    /** Every pod the node holds now, terminating ones included. */
    List<PodView> pods() {
        return List.copyOf(pods);
    }

    Instant now() {
        return now;
    }

    /** Pods available now, for a Deployment without minReadySeconds. */
    int available() {
        return (int) pods.stream().filter(pod -> pod.availableAt(now, 0)).count();
    }
}
