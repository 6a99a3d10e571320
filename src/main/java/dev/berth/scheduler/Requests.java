package dev.berth.scheduler;

import java.util.List;

/** CPU (millicores) and memory (bytes) requested by one container or a whole pod; 0 where nothing is requested. */
public record Requests(long cpuMillis, long memoryBytes) {

    public static final Requests NONE = new Requests(0, 0);

    public Requests {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("requests cannot be negative: cpu " + cpuMillis + "m, memory " + memoryBytes);
        }
    }

    /**
     * A pod's effective requests as Kubernetes computes them: init containers run one at a time before the app
     * containers, so per resource the pod needs the larger of the app containers' sum and the largest init container.
     */
    public static Requests effective(List<Requests> initContainers, List<Requests> appContainers) {
        Requests sum = NONE;
        for (Requests app : appContainers) {
            sum = new Requests(sum.cpuMillis + app.cpuMillis, sum.memoryBytes + app.memoryBytes);
        }
        Requests result = sum;
        for (Requests init : initContainers) {
            result = new Requests(Math.max(result.cpuMillis, init.cpuMillis), Math.max(result.memoryBytes, init.memoryBytes));
        }
        return result;
    }
}
