package dev.berth.node.probe;

import static dev.berth.node.probe.ProbeTrackerTest.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.runtime.OciRuntime.ExecResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ContainerProbesTest {

    private static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

    private static final ProbeDialer NO_NETWORK = TestDialers.NONE;

    /** Answers each probe command with a fixed result, changed with {@link #answer}, and records the calls. */
    private static final class FakeExec implements ProbeExec {
        final List<String> calls = new ArrayList<>();
        final List<Duration> timeouts = new ArrayList<>();
        private final Map<String, Object> answers = new HashMap<>();

        FakeExec answer(String command, int exitCode, String stdout) {
            answers.put(command, new ExecResult(exitCode, stdout, ""));
            return this;
        }

        FakeExec timeOut(String command) {
            answers.put(command, new BerthException("/usr/bin/runc did not finish within PT1S: [runc, exec]"));
            return this;
        }

        @Override
        public ExecResult exec(String containerId, List<String> command, Duration timeout) {
            assertEquals("pod-app", containerId);
            String line = String.join(" ", command);
            calls.add(line);
            timeouts.add(timeout);
            Object answer = answers.get(line);
            if (answer instanceof BerthException e) {
                throw e;
            }
            return (ExecResult) answer;
        }
    }

    private static Probe probe(String command, int initialDelay, int period, int failureThreshold) {
        Probe probe = exec(command.split(" "));
        probe.setInitialDelaySeconds(initialDelay);
        probe.setPeriodSeconds(period);
        probe.setFailureThreshold(failureThreshold);
        return probe;
    }

    private static ContainerProbes probes(Probe startup, Probe liveness, Probe readiness) {
        Container container = new ContainerBuilder().withName("app").withStartupProbe(startup)
                .withLivenessProbe(liveness).withReadinessProbe(readiness).build();
        return ContainerProbes.of(container);
    }

    @Test
    void withoutProbesARunningContainerIsStartedAndReady() {
        ContainerProbes probes = probes(null, null, null);
        ProbeStates states = probes.initial(T0);
        ProbeVerdict verdict = probes.evaluate(states, "pod-app", T0, (id, command, timeout) -> {
            throw new AssertionError("nothing to run");
        }, NO_NETWORK);
        assertTrue(verdict.started());
        assertTrue(verdict.ready());
        assertFalse(verdict.restart());
        assertEquals(Optional.empty(), probes.nextDueAt(states));
        assertFalse(probes.any());
    }

    @Test
    void readinessRunsAfterTheInitialDelayAndThenEveryPeriod() {
        Probe readiness = probe("cat /tmp/ready", 3, 5, 3);
        readiness.setTimeoutSeconds(2);
        ContainerProbes probes = probes(null, null, readiness);
        FakeExec exec = new FakeExec().answer("cat /tmp/ready", 1, "cat: can't open '/tmp/ready'\n");
        ProbeStates states = probes.initial(T0);

        ProbeVerdict early = probes.evaluate(states, "pod-app", T0.plusSeconds(2), exec, NO_NETWORK);
        assertTrue(early.started());
        assertFalse(early.ready(), "unready until the readiness probe passes");
        assertEquals(List.of(), exec.calls);
        assertEquals(Optional.of(T0.plusSeconds(3)), probes.nextDueAt(states));

        ProbeVerdict failed = probes.evaluate(states, "pod-app", T0.plusSeconds(3), exec, NO_NETWORK);
        assertEquals(List.of("Readiness probe failed: cat: can't open '/tmp/ready'"), failed.failures());
        assertFalse(failed.ready());
        assertFalse(failed.restart());
        assertEquals(List.of(Duration.ofSeconds(2)), exec.timeouts);
        assertEquals(Optional.of(T0.plusSeconds(8)), probes.nextDueAt(failed.states()));
        assertEquals(failed.states(), probes.evaluate(failed.states(), "pod-app", T0.plusSeconds(7), exec, NO_NETWORK).states());
        assertEquals(1, exec.calls.size(), "not due before the period is up");

        exec.answer("cat /tmp/ready", 0, "");
        ProbeVerdict ready = probes.evaluate(failed.states(), "pod-app", T0.plusSeconds(8), exec, NO_NETWORK);
        assertTrue(ready.ready());
        assertEquals(List.of(), ready.failures());
        assertEquals(ready.ready(), probes.verdict(ready.states()).ready(), "the verdict of the states, without a run");
    }

    @Test
    void livenessFailuresUpToTheThresholdAskForARestart() {
        ContainerProbes probes = probes(null, probe("check", 0, 10, 3), null);
        FakeExec exec = new FakeExec().answer("check", 1, "unhealthy");
        ProbeVerdict verdict = new ProbeVerdict(false, false, false, null, List.of(), List.of(), probes.initial(T0));
        for (int i = 0; i < 2; i++) {
            verdict = probes.evaluate(verdict.states(), "pod-app", T0.plusSeconds(10 * i), exec, NO_NETWORK);
            assertFalse(verdict.restart(), "failure " + (i + 1));
            assertTrue(verdict.ready(), "no readiness probe, so liveness failures do not make it unready");
        }
        verdict = probes.evaluate(verdict.states(), "pod-app", T0.plusSeconds(20), exec, NO_NETWORK);
        assertTrue(verdict.restart());
        assertEquals("Liveness probe failed: unhealthy", verdict.restartMessage());
        assertEquals(Optional.empty(), probes.nextDueAt(verdict.states()));
        assertEquals(3, exec.calls.size());

        ProbeVerdict later = probes.evaluate(verdict.states(), "pod-app", T0.plusSeconds(60), exec, NO_NETWORK);
        assertTrue(later.restart(), "still asks until the node restarts the container");
        assertEquals(3, exec.calls.size(), "without probing it again");
        assertEquals(Optional.of(T0.plusSeconds(70)), probes.nextDueAt(probes.initial(T0.plusSeconds(70))),
                "a restarted container starts over");
    }

    @Test
    void aTimeoutCountsAsAFailure() {
        ContainerProbes probes = probes(null, probe("slow", 0, 1, 1), null);
        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "pod-app", T0, new FakeExec().timeOut("slow"), NO_NETWORK);
        assertTrue(verdict.restart());
        assertEquals("Liveness probe failed: /usr/bin/runc did not finish within PT1S: [runc, exec]",
                verdict.restartMessage());
    }

    @Test
    void aFailureWithoutOutputNamesTheExitCode() {
        ContainerProbes probes = probes(null, null, probe("false", 0, 1, 1));
        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "pod-app", T0, new FakeExec().answer("false", 1, ""), NO_NETWORK);
        assertEquals(List.of("Readiness probe failed: exit code 1"), verdict.failures());
    }

    @Test
    void livenessAndReadinessWaitForTheStartupProbe() {
        ContainerProbes probes = probes(probe("started", 0, 2, 30), probe("alive", 1, 10, 3), probe("ready", 0, 5, 3));
        FakeExec exec = new FakeExec().answer("started", 1, "").answer("alive", 0, "").answer("ready", 0, "");
        ProbeStates states = probes.initial(T0);
        for (int second = 0; second < 6; second += 2) {
            ProbeVerdict verdict = probes.evaluate(states, "pod-app", T0.plusSeconds(second), exec, NO_NETWORK);
            assertFalse(verdict.started());
            assertFalse(verdict.ready());
            states = verdict.states();
        }
        assertEquals(List.of("started", "started", "started"), exec.calls);
        assertEquals(Optional.of(T0.plusSeconds(6)), probes.nextDueAt(states), "only the startup probe is due");

        exec.answer("started", 0, "");
        ProbeVerdict started = probes.evaluate(states, "pod-app", T0.plusSeconds(6), exec, NO_NETWORK);
        assertTrue(started.started());
        assertTrue(started.ready(), "readiness ran in the same round, as soon as startup succeeded");
        assertEquals(List.of("started", "started", "started", "started", "alive", "ready"), exec.calls);
        assertEquals(Optional.of(T0.plusSeconds(11)), probes.nextDueAt(started.states()), "readiness, 6 + 5");

        probes.evaluate(started.states(), "pod-app", T0.plusSeconds(30), exec, NO_NETWORK);
        assertEquals(List.of("alive", "ready"), exec.calls.subList(6, exec.calls.size()), "startup runs no more");
    }

    @Test
    void aStartupProbeThatKeepsFailingAsksForARestart() {
        ContainerProbes probes = probes(probe("started", 0, 1, 2), probe("alive", 0, 1, 3), null);
        FakeExec exec = new FakeExec().answer("started", 7, "not yet");
        ProbeVerdict first = probes.evaluate(probes.initial(T0), "pod-app", T0, exec, NO_NETWORK);
        ProbeVerdict second = probes.evaluate(first.states(), "pod-app", T0.plusSeconds(1), exec, NO_NETWORK);
        assertFalse(first.restart());
        assertTrue(second.restart());
        assertFalse(second.started());
        assertEquals("Startup probe failed: not yet", second.restartMessage());
        assertEquals(List.of("started", "started"), exec.calls, "liveness never ran");
    }

    /** Validate refuses gRPC probes, but a pod recorded by an older berth may have one: it passes, never run. */
    @Test
    void aRecordedGrpcProbeIsNotRunAndCountsAsPassing() {
        Probe grpc = new ProbeBuilder().withNewGrpc().withPort(9000).endGrpc().withFailureThreshold(1).build();
        ContainerProbes probes = probes(grpc, grpc, grpc);
        ProbeStates states = probes.initial(T0);
        ProbeVerdict verdict = probes.evaluate(states, "pod-app", T0.plusSeconds(60), (id, command, timeout) -> {
            throw new AssertionError("nothing to run");
        }, NO_NETWORK);
        assertTrue(verdict.started());
        assertTrue(verdict.ready());
        assertFalse(verdict.restart());
        assertEquals(Optional.empty(), probes.nextDueAt(states));
        assertEquals(List.of("container app: startupProbe uses grpc, which berth does not run (validate refuses it"
                + " now); it is taken as passing", "container app: livenessProbe uses grpc, which berth does not run"
                + " (validate refuses it now); it is taken as passing", "container app: readinessProbe uses grpc,"
                + " which berth does not run (validate refuses it now); it is taken as passing"), probes.notRun());
    }

    @Test
    void aRecordedGrpcProbeLeavesTheOtherProbesRunning() {
        Probe grpc = new ProbeBuilder().withNewGrpc().withPort(9000).endGrpc().build();
        FakeExec exec = new FakeExec().answer("ready?", 1, "no");
        ContainerProbes probes = probes(null, grpc, probe("ready?", 0, 1, 1));
        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "pod-app", T0, exec, NO_NETWORK);
        assertEquals(List.of("ready?"), exec.calls);
        assertFalse(verdict.ready());
        assertFalse(verdict.restart());
        assertEquals(1, probes.notRun().size());
    }

    @Test
    void aGrpcProbeWithAnotherHandlerIsRefused() {
        Probe both = new ProbeBuilder().withNewGrpc().withPort(9000).endGrpc().withNewTcpSocket().withNewPort(80)
                .endTcpSocket().build();
        BerthException e = assertThrows(BerthException.class, () -> probes(null, both, null));
        assertEquals("container app: livenessProbe: must have exactly one of exec, httpGet, tcpSocket and grpc, not"
                + " tcpSocket and grpc", e.getMessage());
    }

    @Test
    void invalidProbesNameTheirContainer() {
        Probe twice = probe("alive", 0, 10, 3);
        twice.setSuccessThreshold(2);
        BerthException e = assertThrows(BerthException.class, () -> probes(null, twice, null));
        assertEquals("container app: livenessProbe.successThreshold: must be 1, not 2", e.getMessage());
    }

    @Test
    void longOutputIsCapped() {
        ContainerProbes probes = probes(null, null, probe("noisy", 0, 1, 1));
        String noise = "x".repeat(5000);
        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "pod-app", T0, new FakeExec().answer("noisy", 1, noise), NO_NETWORK);
        String output = verdict.states().of(ProbeKind.READINESS).output();
        assertEquals(ContainerProbes.MAX_OUTPUT + 3, output.length());
        assertTrue(output.endsWith("..."));
    }

    @Test
    void statesSurviveAJsonRoundTrip() {
        ContainerProbes probes = probes(probe("started", 0, 1, 3), null, probe("ready", 0, 1, 3));
        FakeExec exec = new FakeExec().answer("started", 0, "ok").answer("ready", 1, "warming up");
        ProbeStates states = probes.evaluate(probes.initial(T0), "pod-app", T0, exec, NO_NETWORK).states();
        JsonMapper json = JsonMapper.builder().build();
        ProbeStates read = json.readValue(json.writeValueAsString(states), ProbeStates.class);
        assertEquals(states, read);
        assertEquals(new ProbeState(false, 0, 1, T0, "warming up"), read.of(ProbeKind.READINESS));
        assertNull(read.of(ProbeKind.LIVENESS));
    }
}
