package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.probe.ContainerProbes;
import dev.berth.node.probe.ProbeVerdict;
import dev.berth.node.probe.TestDialers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exec probes through real runc; lives here for the package's RuntimeFixture. Needs root, so it is named for
 * {@code -Dtest=Probe*} (unit tests, no lock) to miss it.
 */
class ExecProbeIT {

    private static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

    private RuntimeFixture fixture;
    private ContainerRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RuntimeFixture();
        runtime = fixture.runtime();
        runtime.create(fixture.spec("probed", "sleep", "300"));
        runtime.start("probed");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void readinessFailsUntilTheFileExists() {
        Container container = new ContainerBuilder().withName("app").withNewReadinessProbe().withNewExec()
                .withCommand("cat", "/tmp/ready").endExec().withPeriodSeconds(1).withTimeoutSeconds(10)
                .endReadinessProbe().build();
        ContainerProbes probes = ContainerProbes.of(container);

        ProbeVerdict before = probes.evaluate(probes.initial(T0), "probed", T0, runtime::exec, TestDialers.NONE);
        assertFalse(before.ready());
        assertEquals(1, before.failures().size());
        assertTrue(before.failures().get(0).startsWith("Readiness probe failed: cat: can't open '/tmp/ready'"),
                before.failures().get(0));

        OciRuntime.ExecResult touch = runtime.exec("probed", List.of("sh", "-c", "echo yes > /tmp/ready"),
                Duration.ofSeconds(10));
        assertEquals(0, touch.exitCode(), touch.stderr());
        ProbeVerdict after = probes.evaluate(before.states(), "probed", T0.plusSeconds(1),
                runtime::exec, TestDialers.NONE);
        assertTrue(after.ready());
        assertEquals(List.of(), after.failures());
    }

    /** The probe's own process is killed in the container at its timeout, not only runc exec outside it. */
    @Test
    void aProbeThatOutlivesItsTimeoutFailsAndIsKilledInTheContainer() {
        Container container = new ContainerBuilder().withName("app").withNewLivenessProbe().withNewExec()
                .withCommand("sleep", "30").endExec().withTimeoutSeconds(1).withFailureThreshold(1)
                .endLivenessProbe().build();
        ContainerProbes probes = ContainerProbes.of(container);

        long start = System.nanoTime();
        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "probed", T0, runtime::exec, TestDialers.NONE);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis >= 1000 && millis < 10_000, "gave up after its timeout, not " + millis + " ms");
        assertTrue(verdict.restart());
        assertTrue(verdict.restartMessage().startsWith("Liveness probe failed: ")
                && verdict.restartMessage().contains("did not finish within PT1S"), verdict.restartMessage());
        OciRuntime.ExecResult ps = runtime.exec("probed", List.of("ps", "-o", "args"), Duration.ofSeconds(10));
        // killed, it is a zombie ("[sleep]") that the container's pid 1, a plain sleep, never reaps
        assertFalse(ps.stdout().lines().anyMatch(l -> l.strip().equals("sleep 30")), "the probe's sleep is gone:\n"
                + ps.stdout());
    }

    /** A probe whose command is not in the image fails, with runc's reason: not an error of berth's. */
    @Test
    void aProbeCommandMissingFromTheImageFailsTheProbe() {
        Container container = new ContainerBuilder().withName("app").withNewReadinessProbe().withNewExec()
                .withCommand("no-such-command").endExec().withTimeoutSeconds(10).endReadinessProbe().build();
        ContainerProbes probes = ContainerProbes.of(container);

        ProbeVerdict verdict = probes.evaluate(probes.initial(T0), "probed", T0, runtime::exec, TestDialers.NONE);
        assertFalse(verdict.ready());
        assertEquals(1, verdict.failures().size());
        assertTrue(verdict.failures().get(0).contains("no-such-command"), verdict.failures().get(0));
    }
}
