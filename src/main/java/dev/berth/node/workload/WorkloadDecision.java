package dev.berth.node.workload;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * What a controller wants done about its workload now. The node acts on it and asks again on its next pass, so a
 * decision only needs to be the next step (one surge pod, one deletion), never the whole rollout.
 *
 * @param create pods to start, fully named and labelled (see {@link PodFactory})
 * @param delete ids of pods to stop gracefully and remove
 * @param memo    what to remember until the next decision (replaces the previous memo)
 * @param relabel running pods to give new labels and annotations, in place
 */
public record WorkloadDecision(List<Pod> create, List<String> delete, Health health, String message,
                               Map<String, String> memo, List<Relabel> relabel) {

    /** New labels and annotations for the running pod {@code podId}: all of them, not a patch. */
    public record Relabel(String podId, Map<String, String> labels, Map<String, String> annotations) {
        public Relabel {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }
    }

    public WorkloadDecision {
        create = List.copyOf(create);
        delete = List.copyOf(delete);
        memo = Map.copyOf(memo);
        relabel = List.copyOf(relabel);
    }

    /** A decision that relabels nothing. */
    public WorkloadDecision(List<Pod> create, List<String> delete, Health health, String message,
                            Map<String, String> memo) {
        this(create, delete, health, message, memo, List.of());
    }
}
