package dev.berth.scheduler;

import dev.berth.core.ResourceKey;
import java.util.List;

/**
 * One scheduling pass's outcome. {@code admitted} and {@code pending} follow the queue order; {@code preempt} lists
 * running pods to stop gracefully so that a nominated pod fits once they are gone. A pod already stopping may be
 * listed again on the next pass; stopping it again is then nothing to do.
 */
public record Decision(List<ResourceKey> admitted, List<Pending> pending, List<ResourceKey> preempt) {

    public Decision {
        admitted = List.copyOf(admitted);
        pending = List.copyOf(pending);
        preempt = List.copyOf(preempt);
    }

    /**
     * A pod left waiting, with kube-scheduler's short reason, e.g. {@code Insufficient memory}. A gated pod (it has
     * {@code schedulingGates}) was not tried at all: on a cluster it is {@code SchedulingGated}, not Unschedulable.
     */
    public record Pending(ResourceKey pod, String reason, boolean gated) {

        public Pending(ResourceKey pod, String reason) {
            this(pod, reason, false);
        }
    }
}
