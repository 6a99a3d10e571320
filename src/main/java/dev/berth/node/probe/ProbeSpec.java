package dev.berth.node.probe;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe with the API server's defaults filled in and its checks applied.
 *
 * @param command     the exec probe's command; empty when {@code unsupported}
 * @param unsupported why berth cannot run this probe (an httpGet, tcpSocket or grpc probe), or null
 */
public record ProbeSpec(ProbeKind kind, List<String> command, int initialDelaySeconds, int periodSeconds,
                        int timeoutSeconds, int successThreshold, int failureThreshold, String unsupported) {

    public ProbeSpec {
        command = List.copyOf(command);
    }

    /** @throws BerthException where the API server would reject the probe */
    public static ProbeSpec of(ProbeKind kind, Probe probe) {
        String field = kind.field();
        List<String> actions = new ArrayList<>();
        if (probe.getExec() != null) {
            actions.add("exec");
        }
        if (probe.getHttpGet() != null) {
            actions.add("httpGet");
        }
        if (probe.getTcpSocket() != null) {
            actions.add("tcpSocket");
        }
        if (probe.getGrpc() != null) {
            actions.add("grpc");
        }
        if (actions.size() != 1) {
            throw new BerthException(field + ": must have exactly one of exec, httpGet, tcpSocket and grpc"
                    + (actions.isEmpty() ? "" : ", not " + String.join(" and ", actions)));
        }
        int initialDelay = orDefault(probe.getInitialDelaySeconds(), 0, field + ".initialDelaySeconds");
        int period = orDefault(probe.getPeriodSeconds(), 10, field + ".periodSeconds");
        int timeout = orDefault(probe.getTimeoutSeconds(), 1, field + ".timeoutSeconds");
        int success = orDefault(probe.getSuccessThreshold(), 1, field + ".successThreshold");
        int failure = orDefault(probe.getFailureThreshold(), 3, field + ".failureThreshold");
        if (kind != ProbeKind.READINESS && success != 1) {
            throw new BerthException(field + ".successThreshold: must be 1, not " + success);
        }
        if (!actions.get(0).equals("exec")) {
            // Until berth has networking there is nothing to connect to; see ProbeTracker#initial for the fallback.
            return new ProbeSpec(kind, List.of(), initialDelay, period, timeout, success, failure,
                    field + " uses " + actions.get(0) + ", which berth cannot run before it has networking;"
                            + " it is taken as passing");
        }
        List<String> command = orEmpty(probe.getExec().getCommand());
        if (command.isEmpty()) {
            throw new BerthException(field + ".exec.command: required");
        }
        return new ProbeSpec(kind, command, initialDelay, period, timeout, success, failure, null);
    }

    /** Like the API server's defaulting, 0 means the default, as an absent value does. */
    private static int orDefault(Integer value, int fallback, String field) {
        if (value == null || value == 0) {
            return fallback;
        }
        if (value < 0) {
            throw new BerthException(field + ": must not be negative, not " + value);
        }
        return value;
    }
}
