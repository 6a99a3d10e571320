package dev.berth.node.probe;

import dev.berth.core.BerthException;
import dev.berth.runtime.OciRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's startup, liveness and readiness probes, run as the kubelet runs them: liveness and readiness wait
 * for the startup probe to succeed. Holds no state: the node keeps a {@link ProbeStates} per container instance and
 * starts a fresh one with {@link #initial} whenever the container (re)starts.
 *
 * <p>Only exec probes run. An httpGet, tcpSocket or grpc probe needs networking, which berth lacks so far: it is
 * listed in {@link #unsupported()} and counts as passing (started, alive, ready), so no pod waits on it forever.
 */
public final class ContainerProbes {

    /** Keeps states and messages small; a probe's output worth reading is a line or two. */
    static final int MAX_OUTPUT = 1024;

    private final String container;
    private final Map<ProbeKind, ProbeTracker> trackers;

    private ContainerProbes(String container, Map<ProbeKind, ProbeTracker> trackers) {
        this.container = container;
        this.trackers = trackers;
    }

    /** @throws BerthException for a probe the API server would reject, e.g. a liveness successThreshold of 2 */
    public static ContainerProbes of(Container container) {
        Map<ProbeKind, ProbeTracker> trackers = new EnumMap<>(ProbeKind.class);
        add(trackers, container.getName(), ProbeKind.STARTUP, container.getStartupProbe());
        add(trackers, container.getName(), ProbeKind.LIVENESS, container.getLivenessProbe());
        add(trackers, container.getName(), ProbeKind.READINESS, container.getReadinessProbe());
        return new ContainerProbes(container.getName(), trackers);
    }

    private static void add(Map<ProbeKind, ProbeTracker> trackers, String container, ProbeKind kind, Probe probe) {
        if (probe != null) {
            try {
                trackers.put(kind, new ProbeTracker(ProbeSpec.of(kind, probe)));
            } catch (BerthException e) {
                throw new BerthException("container " + container + ": " + e.getMessage(), e);
            }
        }
    }

    /** Why some probes are not run, one message each; for the node to log once. */
    public List<String> unsupported() {
        return trackers.values().stream().map(t -> t.spec().unsupported()).filter(m -> m != null)
                .map(m -> "container " + container + ": " + m).toList();
    }

    public ProbeStates initial(Instant startedAt) {
        Map<ProbeKind, ProbeState> states = new EnumMap<>(ProbeKind.class);
        trackers.forEach((kind, tracker) -> states.put(kind, tracker.initial()));
        return new ProbeStates(startedAt, states);
    }

    /**
     * Runs the probes of the running container that are due at {@code now} and says where it stands. Each run takes
     * up to its timeoutSeconds, one after another.
     */
    public ProbeVerdict evaluate(ProbeStates states, String containerId, Instant now, ProbeExec exec) {
        List<String> failures = new ArrayList<>();
        // In enum order, startup first: a startup success opens the gate for liveness and readiness at once.
        for (ProbeKind kind : ProbeKind.values()) {
            ProbeTracker tracker = trackers.get(kind);
            if (tracker != null && tracker.isDue(states.of(kind), states.startedAt(), gateOpenedAt(kind, states), now)) {
                Run run = run(tracker.spec(), containerId, exec);
                if (!run.success()) {
                    failures.add(kind.display() + " probe failed: " + run.output());
                }
                states = states.with(kind, tracker.afterRun(states.of(kind), run.success(), run.output(), now));
            }
        }
        return verdict(states, failures);
    }

    /** Where the running container stands by {@code states}, running nothing. */
    public ProbeVerdict verdict(ProbeStates states) {
        return verdict(states, List.of());
    }

    /** Whether the container has any probe at all; one without is started and ready as soon as it runs. */
    public boolean any() {
        return !trackers.isEmpty();
    }

    /** When {@link #evaluate} next has a probe to run; empty when none will run. May be in the past: run now. */
    public Optional<Instant> nextDueAt(ProbeStates states) {
        Instant next = null;
        for (Map.Entry<ProbeKind, ProbeTracker> entry : trackers.entrySet()) {
            ProbeKind kind = entry.getKey();
            Instant due = entry.getValue().dueAt(states.of(kind), states.startedAt(), gateOpenedAt(kind, states));
            if (due != null && (next == null || due.isBefore(next))) {
                next = due;
            }
        }
        return Optional.ofNullable(next);
    }

    /** Liveness and readiness may first run once the startup probe has succeeded; the startup probe at once. */
    private static Instant gateOpenedAt(ProbeKind kind, ProbeStates states) {
        ProbeState startup = states.of(ProbeKind.STARTUP);
        if (kind == ProbeKind.STARTUP || startup == null) {
            return states.startedAt();
        }
        if (!startup.passing()) {
            return null;
        }
        // it succeeded at its last run; an unsupported one passes without ever running
        return startup.lastRunAt() != null ? startup.lastRunAt() : states.startedAt();
    }

    private ProbeVerdict verdict(ProbeStates states, List<String> failures) {
        ProbeState startup = states.of(ProbeKind.STARTUP);
        ProbeState readiness = states.of(ProbeKind.READINESS);
        boolean started = startup == null || startup.passing();
        boolean ready = started && (readiness == null || readiness.passing());
        String restartMessage = null;
        for (ProbeKind kind : ProbeKind.values()) {
            ProbeTracker tracker = trackers.get(kind);
            if (restartMessage == null && tracker != null && tracker.restart(states.of(kind))) {
                restartMessage = kind.display() + " probe failed: " + states.of(kind).output();
            }
        }
        return new ProbeVerdict(started, ready, restartMessage != null, restartMessage, failures, states);
    }

    private record Run(boolean success, String output) {}

    private static Run run(ProbeSpec spec, String containerId, ProbeExec exec) {
        try {
            OciRuntime.ExecResult result = exec.exec(containerId, spec.command(),
                    Duration.ofSeconds(spec.timeoutSeconds()));
            String output = cap((result.stdout() + result.stderr()).strip());
            if (result.exitCode() == 0) {
                return new Run(true, output);
            }
            return new Run(false, output.isEmpty() ? "exit code " + result.exitCode() : output);
        } catch (BerthException e) {
            // How RuncCli reports a timeout, which the kubelet counts as a failure. Anything else that keeps the
            // probe from running counts the same: a probe that cannot run cannot vouch for the container.
            return new Run(false, cap(e.getMessage()));
        }
    }

    private static String cap(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT) + "...";
    }
}
