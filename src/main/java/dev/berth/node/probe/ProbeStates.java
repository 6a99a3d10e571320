package dev.berth.node.probe;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The probe states of one container instance: what the node keeps between rounds, in memory. It is plain data
 * (a JSON mapper writes and reads it as it is), but the node need not persist it: after a berth restart it can
 * start over from {@link ContainerProbes#initial}, which costs only the counters: the container is unready until
 * its readiness probe passes again, and a failing one is restarted up to failureThreshold periods later.
 *
 * @param startedAt when the container instance started; initial delays count from here
 * @param probes    one state for each probe the container has
 */
public record ProbeStates(Instant startedAt, Map<ProbeKind, ProbeState> probes) {

    public ProbeStates {
        probes = Map.copyOf(probes);
    }

    /** Null when the container has no such probe. */
    public ProbeState of(ProbeKind kind) {
        return probes.get(kind);
    }

    ProbeStates with(ProbeKind kind, ProbeState state) {
        Map<ProbeKind, ProbeState> changed = new EnumMap<>(ProbeKind.class);
        changed.putAll(probes);
        changed.put(kind, state);
        return new ProbeStates(startedAt, changed);
    }
}
