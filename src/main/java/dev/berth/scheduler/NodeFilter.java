package dev.berth.scheduler;

import java.util.Map;
import java.util.Optional;

/**
 * The checks that no eviction can change: taints, then nodeSelector and required node affinity (one plugin in
 * kube-scheduler, with one reason), in kube-scheduler's filter order.
 */
final class NodeFilter {

    static final String SELECTOR_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

    private NodeFilter() {}

    /** Why the pod may never run on this node as it is, or empty when it may. */
    static Optional<String> rejection(NodeCapacity node, PodRequest pod) {
        for (Taint taint : node.taints()) {
            if (taint.blocksScheduling() && pod.tolerations().stream().noneMatch(t -> t.tolerates(taint))) {
                return Optional.of("node(s) had untolerated taint " + taint);
            }
        }
        for (Map.Entry<String, String> wanted : pod.nodeSelector().entrySet()) {
            if (!wanted.getValue().equals(node.labels().get(wanted.getKey()))) {
                return Optional.of(SELECTOR_MISMATCH);
            }
        }
        if (!pod.nodeAffinity().admits(node)) {
            return Optional.of(SELECTOR_MISMATCH);
        }
        return Optional.empty();
    }
}
