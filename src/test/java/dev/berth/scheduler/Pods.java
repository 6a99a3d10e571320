package dev.berth.scheduler;

import dev.berth.core.ResourceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Short ways to write the pods and nodes the scheduler tests use. */
final class Pods {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final long MI = 1024L * 1024;
    static final long GI = 1024 * MI;

    private Pods() {}

    static ResourceKey key(String name) {
        return new ResourceKey("Pod", "default", name);
    }

    /** A pod created {@code second} seconds after T0. */
    static PodRequest pod(String name, long cpuMillis, long memoryBytes, int priority, int second) {
        return new PodRequest(key(name), new Requests(cpuMillis, memoryBytes), priority, T0.plusSeconds(second),
                Map.of(), List.of());
    }

    static PodRequest pod(String name, long cpuMillis, long memoryBytes) {
        return pod(name, cpuMillis, memoryBytes, 0, 0);
    }

    static PodRequest neverPreempting(String name, long cpuMillis, long memoryBytes, int priority) {
        return new PodRequest(key(name), cpuMillis, memoryBytes, priority, T0, Map.of(), List.of(), PreemptionPolicy.NEVER);
    }

    static NodeCapacity node(long cpuMillis, long memoryBytes) {
        return new NodeCapacity(cpuMillis, memoryBytes, Map.of(), List.of());
    }

    static List<ResourceKey> keys(String... names) {
        return List.of(names).stream().map(Pods::key).toList();
    }
}
