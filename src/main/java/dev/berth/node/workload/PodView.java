package dev.berth.node.workload;

import java.time.Instant;
import java.util.Map;

/**
 * One pod of a workload as its controller sees it.
 *
 * @param id          the node's id for the pod instance (what {@link WorkloadDecision#delete()} names)
 * @param readySince  when the pod last became ready; null while it is not ready
 * @param restarts    container restarts summed over the pod's containers
 * @param terminating being stopped; it still counts against capacity but no longer as available
 */
public record PodView(String id, String name, Map<String, String> labels, Map<String, String> annotations,
                      Instant createdAt, PodPhase phase, boolean ready, Instant readySince, int restarts,
                      boolean terminating) {

    public PodView {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public boolean availableAt(Instant now, int minReadySeconds) {
        return ready && !terminating && readySince != null && !readySince.plusSeconds(minReadySeconds).isAfter(now);
    }
}
