package dev.berth.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Capacity left on the node during one pass. It may go negative (running pods over a shrunken allocatable, or room
 * promised to a nominated pod): then only pods requesting none of that resource still fit.
 */
final class Headroom {

    private long cpuMillis;
    private long memoryBytes;

    private Headroom(long cpuMillis, long memoryBytes) {
        this.cpuMillis = cpuMillis;
        this.memoryBytes = memoryBytes;
    }

    static Headroom of(NodeCapacity node, List<PodRequest> running) {
        Headroom headroom = new Headroom(node.cpuMillis(), node.memoryBytes());
        running.forEach(headroom::take);
        return headroom;
    }

    Headroom copy() {
        return new Headroom(cpuMillis, memoryBytes);
    }

    /**
     * Empty when the pod fits, else {@code Insufficient cpu}, {@code Insufficient memory} or both. Like
     * kube-scheduler's NodeResourcesFit, a resource the pod does not request never stops it, so BestEffort pods fit.
     */
    Optional<String> shortfall(PodRequest pod) {
        List<String> missing = new ArrayList<>(2);
        if (pod.cpuMillis() > 0 && pod.cpuMillis() > cpuMillis) {
            missing.add("cpu");
        }
        if (pod.memoryBytes() > 0 && pod.memoryBytes() > memoryBytes) {
            missing.add("memory");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("Insufficient " + String.join(", ", missing));
    }

    boolean fits(PodRequest pod) {
        return shortfall(pod).isEmpty();
    }

    void take(PodRequest pod) {
        cpuMillis -= pod.cpuMillis();
        memoryBytes -= pod.memoryBytes();
    }

    void give(PodRequest pod) {
        cpuMillis += pod.cpuMillis();
        memoryBytes += pod.memoryBytes();
    }
}
