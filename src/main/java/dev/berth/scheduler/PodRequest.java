package dev.berth.scheduler;

import dev.berth.core.ResourceKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the scheduler needs to know about one pod, already translated from the Pod object by the caller: effective
 * requests (see {@link Requests#effective}), resolved priority (see {@link PriorityClasses}), creation time,
 * nodeSelector, required node affinity, tolerations and the host ports its containers ask for.
 */
public record PodRequest(ResourceKey pod, Requests requests, int priority, Instant createdAt,
        Map<String, String> nodeSelector, NodeAffinity nodeAffinity, List<Toleration> tolerations,
        PreemptionPolicy preemptionPolicy, List<HostPort> hostPorts) {

    /** The scheduling queue's order: higher priority first, then older first; the key makes ties deterministic. */
    public static final Comparator<PodRequest> QUEUE_ORDER = Comparator.comparingInt(PodRequest::priority).reversed()
            .thenComparing(PodRequest::createdAt)
            .thenComparing(PodRequest::pod);

    public PodRequest {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(createdAt, "createdAt");
        requests = requests == null ? Requests.NONE : requests;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        nodeAffinity = nodeAffinity == null ? NodeAffinity.NONE : nodeAffinity;
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        preemptionPolicy = preemptionPolicy == null ? PreemptionPolicy.PREEMPT_LOWER_PRIORITY : preemptionPolicy;
        hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
    }

    /** A pod that asks for no host port. */
    public PodRequest(ResourceKey pod, Requests requests, int priority, Instant createdAt,
            Map<String, String> nodeSelector, NodeAffinity nodeAffinity, List<Toleration> tolerations,
            PreemptionPolicy preemptionPolicy) {
        this(pod, requests, priority, createdAt, nodeSelector, nodeAffinity, tolerations, preemptionPolicy, null);
    }

    /** A pod with no node affinity. */
    public PodRequest(ResourceKey pod, long cpuMillis, long memoryBytes, int priority, Instant createdAt,
            Map<String, String> nodeSelector, List<Toleration> tolerations, PreemptionPolicy preemptionPolicy) {
        this(pod, new Requests(cpuMillis, memoryBytes), priority, createdAt, nodeSelector, null, tolerations,
                preemptionPolicy);
    }

    /** A pod with no node affinity and the Kubernetes default preemption policy, PreemptLowerPriority. */
    public PodRequest(ResourceKey pod, Requests requests, int priority, Instant createdAt,
            Map<String, String> nodeSelector, List<Toleration> tolerations) {
        this(pod, requests, priority, createdAt, nodeSelector, null, tolerations, null);
    }

    boolean mayPreempt() {
        return preemptionPolicy == PreemptionPolicy.PREEMPT_LOWER_PRIORITY;
    }
}
