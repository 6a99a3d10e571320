package dev.berth.node.probe;

import static dev.berth.core.Nulls.orEmpty;

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
 * <p>exec probes run in the container; httpGet and tcpSocket probes connect through the pod's {@link ProbeDialer}.
 * A gRPC probe is not run: validate refuses them, but a pod recorded by an older berth may still have one. It counts
 * as passing, as it did then, and {@link #notRun} says so for the node to tell once.
 */
public final class ContainerProbes {

    /** Keeps states and messages small; a probe's output worth reading is a line or two. */
    static final int MAX_OUTPUT = 1024;

    private final Map<ProbeKind, ProbeTracker> trackers;
    private final List<String> notRun;

    private ContainerProbes(Map<ProbeKind, ProbeTracker> trackers, List<String> notRun) {
        this.trackers = trackers;
        this.notRun = List.copyOf(notRun);
    }

    /**
     * @throws BerthException for a probe the API server would reject, e.g. a liveness successThreshold of 2
     */
    public static ContainerProbes of(Container container) {
        Map<ProbeKind, ProbeTracker> trackers = new EnumMap<>(ProbeKind.class);
        List<String> notRun = new ArrayList<>();
        add(trackers, notRun, container, ProbeKind.STARTUP, container.getStartupProbe());
        add(trackers, notRun, container, ProbeKind.LIVENESS, container.getLivenessProbe());
        add(trackers, notRun, container, ProbeKind.READINESS, container.getReadinessProbe());
        return new ContainerProbes(trackers, notRun);
    }

    private static void add(Map<ProbeKind, ProbeTracker> trackers, List<String> notRun, Container container,
                            ProbeKind kind, Probe probe) {
        if (probe != null && grpcOnly(probe)) {
            notRun.add("container " + container.getName() + ": " + kind.field() + " uses grpc, which berth does not run"
                    + " (validate refuses it now); it is taken as passing");
        } else if (probe != null) {
            try {
                trackers.put(kind, new ProbeTracker(ProbeSpec.of(kind, probe, orEmpty(container.getPorts()))));
            } catch (BerthException e) {
                throw new BerthException("container " + container.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A gRPC probe and no other handler; one with another handler too is refused by {@link ProbeSpec#of}. */
    private static boolean grpcOnly(Probe probe) {
        return probe.getGrpc() != null && probe.getExec() == null && probe.getHttpGet() == null
                && probe.getTcpSocket() == null;
    }

    /** The probes that are not run and count as passing (gRPC), one message each, naming the container. */
    public List<String> notRun() {
        return notRun;
    }

    public ProbeStates initial(Instant startedAt) {
        Map<ProbeKind, ProbeState> states = new EnumMap<>(ProbeKind.class);
        trackers.forEach((kind, tracker) -> states.put(kind, tracker.initial()));
        return new ProbeStates(startedAt, states);
    }

    /**
     * Runs the probes of the running container that are due at {@code now} and says where it stands. Each run takes
     * up to its timeoutSeconds, one after another.
     *
     * @param exec   runs an exec probe's command in the container
     * @param dialer connects an httpGet or tcpSocket probe to the container's pod
     */
    public ProbeVerdict evaluate(ProbeStates states, String containerId, Instant now, ProbeExec exec,
                                 ProbeDialer dialer) {
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        // In enum order, startup first: a startup success opens the gate for liveness and readiness at once.
        for (ProbeKind kind : ProbeKind.values()) {
            ProbeTracker tracker = trackers.get(kind);
            if (tracker != null && tracker.isDue(states.of(kind), states.startedAt(), gateOpenedAt(kind, states), now)) {
                ProbeResult run = run(tracker.spec(), containerId, exec, dialer);
                if (!run.success()) {
                    failures.add(kind.display() + " probe failed: " + run.output());
                } else if (run.warning() != null) {
                    warnings.add(kind.display() + " probe warning: " + cap(run.warning()));
                }
                states = states.with(kind, tracker.afterRun(states.of(kind), run.success(), run.output(), now));
            }
        }
        return verdict(states, failures, warnings);
    }

    /** Where the running container stands by {@code states}, running nothing. */
    public ProbeVerdict verdict(ProbeStates states) {
        return verdict(states, List.of(), List.of());
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
        return startup.lastRunAt(); // it succeeded at its last run
    }

    private ProbeVerdict verdict(ProbeStates states, List<String> failures, List<String> warnings) {
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
        return new ProbeVerdict(started, ready, restartMessage != null, restartMessage, failures, warnings, states);
    }

    private static ProbeResult run(ProbeSpec spec, String containerId, ProbeExec exec, ProbeDialer dialer) {
        Duration timeout = Duration.ofSeconds(spec.timeoutSeconds());
        ProbeResult result;
        if (spec.action() instanceof ProbeAction.HttpGet get) {
            result = HttpGetProbe.run(get, timeout, dialer);
        } else if (spec.action() instanceof ProbeAction.TcpSocket tcp) {
            result = TcpSocketProbe.run(tcp, timeout, dialer);
        } else {
            result = exec((ProbeAction.Exec) spec.action(), containerId, timeout, exec);
        }
        return new ProbeResult(result.success(), cap(result.output()), result.warning());
    }

    private static ProbeResult exec(ProbeAction.Exec action, String containerId, Duration timeout, ProbeExec exec) {
        try {
            OciRuntime.ExecResult result = exec.exec(containerId, action.command(), timeout);
            String output = (result.stdout() + result.stderr()).strip();
            if (result.exitCode() == 0) {
                return ProbeResult.success(output);
            }
            return ProbeResult.failure(output.isEmpty() ? "exit code " + result.exitCode() : output);
        } catch (BerthException e) {
            // How RuncCli reports a timeout, which the kubelet counts as a failure. Anything else that keeps the
            // probe from running counts the same: a probe that cannot run cannot vouch for the container.
            return ProbeResult.failure(e.getMessage());
        }
    }

    private static String cap(String text) {
        return text.length() <= MAX_OUTPUT ? text : text.substring(0, MAX_OUTPUT) + "...";
    }
}
