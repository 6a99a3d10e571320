package dev.berth.node;

import dev.berth.manifest.ComparableForm;
import dev.berth.node.workload.Health;
import dev.berth.node.workload.PodPhase;
import dev.berth.node.workload.PodView;
import dev.berth.node.workload.Workload;
import dev.berth.node.workload.WorkloadController;
import dev.berth.node.workload.WorkloadDecision;
import dev.berth.node.workload.PodFactory;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Pod object: exactly one pod of that name, replaced when its spec (or the config it reads) changes. The new pod
 * is created in the same decision as the old one is deleted: the node pulls its images first, then stops the old.
 * A pod that finished stays finished, as in Kubernetes.
 */
final class PodObjectController implements WorkloadController {

    /** The hash of the pod as committed (config hash included); a different one means replace. */
    static final String SPEC_HASH = "berth.dev/spec-hash";

    @Override
    public WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now) {
        String hash = ComparableForm.hash(workload.manifest().object()).substring(7, 23);
        List<String> delete = new ArrayList<>();
        PodView current = null;
        for (PodView pod : owned) {
            if (hash.equals(pod.annotations().get(SPEC_HASH)) && current == null && !pod.terminating()) {
                current = pod;
            } else if (!pod.terminating()) {
                delete.add(pod.id());
            }
        }
        if (current == null) {
            Pod pod = (Pod) workload.manifest().typed();
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(SPEC_HASH, hash);
            Pod created = PodFactory.fromTemplate(workload.manifest().key(), template(pod), pod.getMetadata().getName(),
                    Map.of(), annotations);
            return new WorkloadDecision(List.of(created), delete, Health.PROGRESSING,
                    delete.isEmpty() ? "creating" : "replacing", Map.of());
        }
        return new WorkloadDecision(List.of(), delete, health(current), message(current), Map.of());
    }

    private static io.fabric8.kubernetes.api.model.PodTemplateSpec template(Pod pod) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpec(pod.getMetadata(), pod.getSpec());
    }

    private static Health health(PodView pod) {
        if (pod.phase() == PodPhase.FAILED) {
            return Health.DEGRADED;
        }
        if (pod.phase() == PodPhase.SUCCEEDED || pod.ready()) {
            return Health.HEALTHY;
        }
        return pod.restarts() >= 3 ? Health.DEGRADED : Health.PROGRESSING;
    }

    private static String message(PodView pod) {
        return pod.phase() + (pod.ready() ? ", ready" : "") + (pod.restarts() > 0 ? ", " + pod.restarts() + " restarts" : "");
    }
}
