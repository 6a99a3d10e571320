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
    public record Pending(ResourceKey pod, String reason, Cause cause) {

        public Pending(ResourceKey pod, String reason) {
            this(pod, reason, Cause.UNSCHEDULABLE);
        }

        public boolean gated() {
            return cause == Cause.GATED;
        }
    }

    /** Why a pod waits, as its status says it. */
    public enum Cause {
        UNSCHEDULABLE("Unschedulable"),
        GATED("SchedulingGated"),
        /** A host port it asks for is held by another pod or a host process. */
        HOST_PORT_CONFLICT("HostPortConflict");

        private final String reason;

        Cause(String reason) {
            this.reason = reason;
        }

        /** The pod's status reason, e.g. {@code HostPortConflict}. */
        public String reason() {
            return reason;
        }
    }
}
