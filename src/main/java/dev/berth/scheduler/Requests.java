package dev.berth.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU (millicores), memory (bytes) and extended resources (whole units, by name) requested by one container or a
 * whole pod; 0 or absent where nothing is requested.
 */
public record Requests(long cpuMillis, long memoryBytes, Map<String, Long> extended) {

    public static final Requests NONE = new Requests(0, 0);

    public Requests {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("requests cannot be negative: cpu " + cpuMillis + "m, memory " + memoryBytes);
        }
        extended = extended == null ? Map.of() : Map.copyOf(extended);
        if (extended.values().stream().anyMatch(units -> units < 0)) {
            throw new IllegalArgumentException("requests cannot be negative: " + extended);
        }
    }

    public Requests(long cpuMillis, long memoryBytes) {
        this(cpuMillis, memoryBytes, Map.of());
    }

    /**
     * A pod's effective requests as Kubernetes computes them: init containers run one at a time before the app
     * containers, so per resource the pod needs the larger of the app containers' sum and the largest init container.
     */
    public static Requests effective(List<Requests> initContainers, List<Requests> appContainers) {
        long cpu = 0;
        long memory = 0;
        Map<String, Long> extended = new HashMap<>();
        for (Requests app : appContainers) {
            cpu += app.cpuMillis;
            memory += app.memoryBytes;
            app.extended.forEach((name, units) -> extended.merge(name, units, Long::sum));
        }
        for (Requests init : initContainers) {
            cpu = Math.max(cpu, init.cpuMillis);
            memory = Math.max(memory, init.memoryBytes);
            init.extended.forEach((name, units) -> extended.merge(name, units, Math::max));
        }
        return new Requests(cpu, memory, extended);
    }
}
