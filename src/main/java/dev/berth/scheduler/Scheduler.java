package dev.berth.scheduler;

import dev.berth.core.ResourceKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Places pods on the one node, as kube-scheduler would with a single node: taints, nodeSelector and required node
 * affinity, host ports, resource requests (extended resources included) against allocatable, priority and
 * preemption. A pod whose host port is taken waits without preempting: pods are evicted for room, not for ports.
 * Pure and stateless; the same inputs give the same decision.
 *
 * <p>There is no retry loop in here: pending pods are re-tried by calling {@link #schedule} again with the new
 * running set, e.g. whenever a pod stops or the pending set changes. A pod that preempted others is admitted on
 * such a later call, once its victims are no longer among the running pods.
 */
public final class Scheduler {

    public static final String WAITING_FOR_PREEMPTION = "waiting for preemption of lower-priority pods";

    /**
     * Considers the pending pods in queue order (priority, then age) against the capacity left. A pod that does not
     * fit does not hold back smaller pods behind it, but room it has been promised by preemption is kept for it.
     */
    public Decision schedule(NodeCapacity node, List<PodRequest> running, List<PodRequest> pending) {
        return schedule(node, running, pending, List.of());
    }

    /** @param listening the ports host processes listen on, which no pod may take */
    public Decision schedule(NodeCapacity node, List<PodRequest> running, List<PodRequest> pending,
                             List<HostPort> listening) {
        Headroom now = Headroom.of(node, running);
        HostPortsInUse ports = HostPortsInUse.of(running, listening);
        List<ResourceKey> admitted = new ArrayList<>();
        List<Decision.Pending> waiting = new ArrayList<>();
        Set<ResourceKey> preempt = new LinkedHashSet<>();

        for (PodRequest pod : pending.stream().sorted(PodRequest.QUEUE_ORDER).toList()) {
            Optional<String> rejection = NodeFilter.rejection(node, pod);
            if (rejection.isPresent()) {
                waiting.add(new Decision.Pending(pod.pod(), rejection.get()));
                continue;
            }
            Optional<String> conflict = ports.conflict(pod);
            if (conflict.isPresent()) {
                waiting.add(new Decision.Pending(pod.pod(), conflict.get(), Decision.Cause.HOST_PORT_CONFLICT));
                continue;
            }
            Optional<String> shortfall = now.shortfall(pod);
            if (shortfall.isEmpty()) {
                admitted.add(pod.pod());
                now.take(pod);
                ports.take(pod);
                continue;
            }
            Optional<List<PodRequest>> victims = pod.mayPreempt()
                    ? VictimSelector.select(pod, now, running, preempt)
                    : Optional.empty();
            if (victims.isEmpty()) {
                waiting.add(new Decision.Pending(pod.pod(), shortfall.get()));
                continue;
            }
            victims.get().forEach(victim -> preempt.add(victim.pod()));
            // Kubernetes nominates the pod: pods of lower or equal priority must not take the room it waits for.
            now.take(pod);
            ports.take(pod);
            waiting.add(new Decision.Pending(pod.pod(), WAITING_FOR_PREEMPTION));
        }
        return new Decision(admitted, waiting, List.copyOf(preempt));
    }
}
