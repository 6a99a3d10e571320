package dev.berth.node.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

    static Probe exec(String... command) {
        return new ProbeBuilder().withNewExec().withCommand(command).endExec().build();
    }

    private static ProbeTracker tracker(ProbeKind kind, Probe probe) {
        return new ProbeTracker(ProbeSpec.of(kind, probe, List.of()));
    }

    private static ProbeState run(ProbeTracker tracker, ProbeState state, boolean... results) {
        for (boolean success : results) {
            state = tracker.afterRun(state, success, success ? "" : "nope", T0);
        }
        return state;
    }

    @Test
    void absentOrZeroFieldsGetTheApiServersDefaults() {
        Probe zeros = exec("true");
        zeros.setPeriodSeconds(0);
        zeros.setTimeoutSeconds(0);
        zeros.setFailureThreshold(0);
        for (Probe probe : List.of(exec("true"), zeros)) {
            ProbeSpec spec = ProbeSpec.of(ProbeKind.READINESS, probe, List.of());
            assertEquals(List.of(0, 10, 1, 1, 3), List.of(spec.initialDelaySeconds(), spec.periodSeconds(),
                    spec.timeoutSeconds(), spec.successThreshold(), spec.failureThreshold()));
            assertEquals(new ProbeAction.Exec(List.of("true")), spec.action());
        }
    }

    @Test
    void rejectsWhatTheApiServerRejects() {
        Probe twoSuccesses = exec("true");
        twoSuccesses.setSuccessThreshold(2);
        assertEquals(2, ProbeSpec.of(ProbeKind.READINESS, twoSuccesses, List.of()).successThreshold());
        BerthException liveness = assertThrows(BerthException.class,
                () -> ProbeSpec.of(ProbeKind.LIVENESS, twoSuccesses, List.of()));
        assertEquals("livenessProbe.successThreshold: must be 1, not 2", liveness.getMessage());
        assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.STARTUP, twoSuccesses, List.of()));

        Probe negative = exec("true");
        negative.setInitialDelaySeconds(-1);
        assertEquals("readinessProbe.initialDelaySeconds: must not be negative, not -1",
                assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.READINESS, negative, List.of())).getMessage());
        assertEquals("startupProbe.exec.command: required",
                assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.STARTUP, exec(), List.of())).getMessage());
        assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.LIVENESS, new Probe(), List.of()));
        Probe two = new ProbeBuilder(exec("true")).withNewTcpSocket().withNewPort(80).endTcpSocket().build();
        assertEquals("livenessProbe: must have exactly one of exec, httpGet, tcpSocket and grpc, not exec and tcpSocket",
                assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.LIVENESS, two, List.of())).getMessage());
    }

    @Test
    void firstRunWaitsForTheInitialDelayThenEveryPeriod() {
        Probe probe = exec("true");
        probe.setInitialDelaySeconds(5);
        probe.setPeriodSeconds(7);
        ProbeTracker tracker = tracker(ProbeKind.READINESS, probe);
        ProbeState state = tracker.initial();
        assertEquals(T0.plusSeconds(5), tracker.dueAt(state, T0, T0));
        assertFalse(tracker.isDue(state, T0, T0, T0.plusSeconds(4)));
        assertTrue(tracker.isDue(state, T0, T0, T0.plusSeconds(5)));

        state = tracker.afterRun(state, true, "", T0.plusSeconds(6)); // the node woke a second late
        assertEquals(T0.plusSeconds(13), tracker.dueAt(state, T0, T0));
        assertFalse(tracker.isDue(state, T0, T0, T0.plusSeconds(12)));
    }

    @Test
    void waitsForTheGateButNotLongerThanTheInitialDelay() {
        Probe probe = exec("true");
        probe.setInitialDelaySeconds(5);
        ProbeTracker tracker = tracker(ProbeKind.LIVENESS, probe);
        assertNull(tracker.dueAt(tracker.initial(), T0, null), "startup probe has not succeeded");
        assertEquals(T0.plusSeconds(30), tracker.dueAt(tracker.initial(), T0, T0.plusSeconds(30)));
        assertEquals(T0.plusSeconds(5), tracker.dueAt(tracker.initial(), T0, T0.plusSeconds(2)));
    }

    @Test
    void readinessStartsUnreadyAndFlipsOnlyAtTheThresholds() {
        Probe probe = exec("true");
        probe.setSuccessThreshold(2);
        ProbeTracker tracker = tracker(ProbeKind.READINESS, probe);
        ProbeState state = tracker.initial();
        assertFalse(state.passing());

        state = run(tracker, state, true);
        assertFalse(state.passing(), "one success of two");
        state = run(tracker, state, true);
        assertTrue(state.passing());
        state = run(tracker, state, false, false, true, false, false);
        assertTrue(state.passing(), "a success in between starts the count again");
        assertEquals(2, state.failures());
        assertEquals(0, state.successes());
        state = run(tracker, state, false);
        assertFalse(state.passing());
        state = run(tracker, state, true);
        assertFalse(state.passing(), "back to needing two successes");
        assertFalse(tracker.restart(run(tracker, state, false, false, false, false)), "readiness never restarts");
    }

    @Test
    void livenessRestartsAtTheFailureThresholdAndStopsProbing() {
        ProbeTracker tracker = tracker(ProbeKind.LIVENESS, exec("true"));
        ProbeState state = tracker.initial();
        assertTrue(state.passing(), "alive until shown otherwise");

        state = run(tracker, state, false, false, true, false, false);
        assertFalse(tracker.restart(state));
        assertTrue(state.passing());
        assertTrue(tracker.isDue(state, T0, T0, T0.plusSeconds(10)));

        state = tracker.afterRun(state, false, "dead", T0);
        assertTrue(tracker.restart(state));
        assertFalse(state.passing());
        assertEquals("dead", state.output());
        assertNull(tracker.dueAt(state, T0, T0), "held until the container is restarted");
    }

    @Test
    void startupSucceedsOnceOrRestartsAtTheFailureThreshold() {
        Probe probe = exec("true");
        probe.setFailureThreshold(2);
        ProbeTracker tracker = tracker(ProbeKind.STARTUP, probe);
        assertFalse(tracker.initial().passing());

        ProbeState started = run(tracker, tracker.initial(), false, true);
        assertTrue(started.passing());
        assertFalse(tracker.restart(started));
        assertNull(tracker.dueAt(started, T0, T0), "done once it succeeded");

        ProbeState failed = run(tracker, tracker.initial(), false, false);
        assertTrue(tracker.restart(failed));
        assertNull(tracker.dueAt(failed, T0, T0));
    }
}
