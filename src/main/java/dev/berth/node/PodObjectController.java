package dev.berth.node;

import dev.berth.manifest.Annotations;
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
 * A change of labels or annotations only is made in place, as an update of a Pod's metadata is in a cluster (the
 * downward API files that show them follow). A pod that finished stays finished, as in Kubernetes.
 */
final class PodObjectController implements WorkloadController {

    /**
     * The hash of the pod as committed, without its labels and annotations but with its config hash; a different one
     * means replace.
     */
    static final String SPEC_HASH = "berth.dev/spec-hash";

    @Override
    public WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now) {
        String hash = ComparableForm.hash(withoutMetadata(workload.manifest().object())).substring(7, 23);
        // an older berth hashed the whole object: such a pod is current too, and its relabel records the new hash
        String wholeObjectHash = ComparableForm.hash(workload.manifest().object()).substring(7, 23);
        List<String> delete = new ArrayList<>();
        PodView current = null;
        for (PodView pod : owned) {
            String podHash = pod.annotations().get(SPEC_HASH);
            boolean same = hash.equals(podHash) || wholeObjectHash.equals(podHash);
            if (same && current == null && !pod.terminating()) {
                current = pod;
            } else if (!pod.terminating()) {
                delete.add(pod.id());
            }
        }
        Pod pod = (Pod) workload.manifest().typed();
        Pod wanted = PodFactory.fromTemplate(workload.manifest().key(), template(pod), pod.getMetadata().getName(),
                Map.of(), Map.of(SPEC_HASH, hash));
        if (current == null) {
            return new WorkloadDecision(List.of(wanted), delete, Health.PROGRESSING,
                    delete.isEmpty() ? "creating" : "replacing", Map.of());
        }
        var meta = wanted.getMetadata();
        List<WorkloadDecision.Relabel> relabel = meta.getLabels().equals(current.labels())
                && meta.getAnnotations().equals(current.annotations()) ? List.of()
                : List.of(new WorkloadDecision.Relabel(current.id(), meta.getLabels(), meta.getAnnotations()));
        return new WorkloadDecision(List.of(), delete, health(current), message(current), Map.of(), relabel);
    }

    /** The manifest without its labels and annotations, but for the config hash, whose change means replace. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutMetadata(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        if (copy.get("metadata") instanceof Map<?, ?> metadata) {
            Map<String, Object> kept = new LinkedHashMap<>((Map<String, Object>) metadata);
            kept.remove("labels");
            Object annotations = kept.remove("annotations");
            if (annotations instanceof Map<?, ?> a && a.get(Annotations.CONFIG_HASH) != null) {
                kept.put("configHash", a.get(Annotations.CONFIG_HASH));
            }
            copy.put("metadata", kept);
        }
        return copy;
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
