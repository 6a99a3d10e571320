package dev.berth.node.probe;

import java.util.List;

/**
 * What a container's probes say after a round.
 *
 * @param started        running, and its startup probe succeeded (or it has none)
 * @param ready          started, and its readiness probe passes (or it has none)
 * @param restart        running, and a startup or liveness probe failed failureThreshold times in a row: the node
 *                       kills the container and its restart policy decides what follows
 * @param restartMessage the kubelet's event text, e.g. "Liveness probe failed: connection refused"; null unless
 *                       {@code restart}
 * @param failures       one message per failed run in this round, like the kubelet's Unhealthy events
 * @param warnings       one message per run in this round that passed with a warning, like the kubelet's
 *                       ProbeWarning events (a redirect to another host)
 * @param states         to keep for the next round
 */
public record ProbeVerdict(boolean started, boolean ready, boolean restart, String restartMessage,
                           List<String> failures, List<String> warnings, ProbeStates states) {

    public ProbeVerdict {
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }
}
