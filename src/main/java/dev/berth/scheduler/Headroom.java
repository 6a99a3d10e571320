package dev.berth.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Capacity left on the node during one pass. It may go negative (running pods over a shrunken allocatable, or room
 * promised to a nominated pod): then only pods requesting none of that resource still fit.
 */
final class Headroom {

    private long cpuMillis;
    private long memoryBytes;
    /** Extended resources by name; one the node does not offer is absent, which counts as 0. */
    private final Map<String, Long> extended;

    private Headroom(long cpuMillis, long memoryBytes, Map<String, Long> extended) {
        this.cpuMillis = cpuMillis;
        this.memoryBytes = memoryBytes;
        this.extended = new HashMap<>(extended);
    }

    static Headroom of(NodeCapacity node, List<PodRequest> running) {
        Headroom headroom = new Headroom(node.cpuMillis(), node.memoryBytes(), node.extendedResources());
        running.forEach(headroom::take);
        return headroom;
    }

    Headroom copy() {
        return new Headroom(cpuMillis, memoryBytes, extended);
    }

    /**
     * Empty when the pod fits, else e.g. {@code Insufficient cpu}, {@code Insufficient cpu, memory} or
     * {@code Insufficient example.com/dongle}. Like kube-scheduler's NodeResourcesFit, a resource the pod does not
     * request never stops it, so BestEffort pods fit; an extended resource the node does not offer has none left.
     */
    Optional<String> shortfall(PodRequest pod) {
        Requests wants = pod.requests();
        List<String> missing = new ArrayList<>(2);
        if (wants.cpuMillis() > 0 && wants.cpuMillis() > cpuMillis) {
            missing.add("cpu");
        }
        if (wants.memoryBytes() > 0 && wants.memoryBytes() > memoryBytes) {
            missing.add("memory");
        }
        new TreeMap<>(wants.extended()).forEach((name, units) -> {
            if (units > 0 && units > extended.getOrDefault(name, 0L)) {
                missing.add(name);
            }
        });
        return missing.isEmpty() ? Optional.empty() : Optional.of("Insufficient " + String.join(", ", missing));
    }

    boolean fits(PodRequest pod) {
        return shortfall(pod).isEmpty();
    }

    void take(PodRequest pod) {
        add(pod.requests(), -1);
    }

    void give(PodRequest pod) {
        add(pod.requests(), 1);
    }

    private void add(Requests requests, int sign) {
        cpuMillis += sign * requests.cpuMillis();
        memoryBytes += sign * requests.memoryBytes();
        requests.extended().forEach((name, units) -> extended.merge(name, sign * units, Long::sum));
    }
}
