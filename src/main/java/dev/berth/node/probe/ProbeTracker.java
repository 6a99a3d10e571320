package dev.berth.node.probe;

import java.time.Instant;

/**
 * The kubelet's probe worker for one probe of one container, minus the worker: pure, the caller passes in the
 * times and the results, and keeps the {@link ProbeState}.
 */
public final class ProbeTracker {

    private final ProbeSpec spec;

    public ProbeTracker(ProbeSpec spec) {
        this.spec = spec;
    }

    public ProbeSpec spec() {
        return spec;
    }

    /** Before the first run. */
    public ProbeState initial() {
        return new ProbeState(spec.kind().initiallyPassing(), 0, 0, null, "");
    }

    /**
     * When the probe runs next; null when it does not run (any more): a startup probe that succeeded,
     * or a startup or liveness probe that failed, whose container is to be restarted.
     *
     * @param containerStartedAt the initial delay counts from here
     * @param gateOpenedAt       when the probe may first run: when the container's startup probe succeeded (or the
     *                           container started, if it has none); null while the startup probe has not succeeded
     */
    public Instant dueAt(ProbeState state, Instant containerStartedAt, Instant gateOpenedAt) {
        boolean done = spec.kind() == ProbeKind.STARTUP && state.passing();
        if (done || restart(state) || gateOpenedAt == null) {
            return null;
        }
        if (state.lastRunAt() != null) {
            return state.lastRunAt().plusSeconds(spec.periodSeconds());
        }
        Instant delayed = containerStartedAt.plusSeconds(spec.initialDelaySeconds());
        return delayed.isAfter(gateOpenedAt) ? delayed : gateOpenedAt;
    }

    public boolean isDue(ProbeState state, Instant containerStartedAt, Instant gateOpenedAt, Instant now) {
        Instant due = dueAt(state, containerStartedAt, gateOpenedAt);
        return due != null && !now.isBefore(due);
    }

    /** The state after a run at {@code at}; the caller counts a timeout as a failure, as the kubelet does. */
    public ProbeState afterRun(ProbeState state, boolean success, String output, Instant at) {
        int successes = success ? state.successes() + 1 : 0;
        int failures = success ? 0 : state.failures() + 1;
        boolean passing = state.passing();
        if (successes >= spec.successThreshold()) {
            passing = true;
        } else if (failures >= spec.failureThreshold()) {
            passing = false;
        }
        return new ProbeState(passing, successes, failures, at, output);
    }

    /** A startup or liveness probe failed failureThreshold times in a row: the container is to be restarted. */
    public boolean restart(ProbeState state) {
        return spec.kind().restartsOnFailure() && state.failures() >= spec.failureThreshold();
    }
}
