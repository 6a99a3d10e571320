package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.node.PodState;
import dev.berth.testing.CliRun;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth logs} on CRI log files as conmon writes them; no container runs, so -f ends at once. */
class LogsCommandTest {

    static final String WORKER_LOG = """
            2026-03-01T10:00:00.000000000+00:00 stdout F one
            2026-03-01T10:00:01.500000000+00:00 stderr F two, on stderr
            2026-03-01T10:00:02.000000000+00:00 stdout P thr
            2026-03-01T10:00:02.100000000+00:00 stdout F ee
            2026-03-01T10:00:03.000000000+00:00 stdout F four
            """;

    @TempDir
    Path tmp;
    NodeState node;

    @BeforeEach
    void pods() throws IOException {
        node = new NodeState(tmp.resolve("state"));
        Instant now = Instant.now();
        node.pods.pod("default.worker.000001", NodeState.pod(null, "worker", "main"), now.minusSeconds(3600));
        log("default.worker.000001", "main.log", "2026-03-01T09:00:00.000000000+00:00 stdout F the replaced pod\n");
        node.pods.pod("default.worker.000002", NodeState.pod(null, "worker", "main"), now.minusSeconds(300));
        log("default.worker.000002", "main.log", WORKER_LOG);
        Pod web = NodeState.pod(null, "web", "app", "sidecar");
        web.getSpec().getInitContainers().add(new ContainerBuilder().withName("setup").withImage("busybox").build());
        node.pods.pod("default.web.000003", web, now);
        log("default.web.000003", "sidecar.log", "2026-03-01T10:00:00.000000000+00:00 stdout F from the sidecar\n");
        node.pods.pod("shop.api.000004", NodeState.pod("shop", "api", "main"), now);
        node.pods.pod("default.pending.000005", NodeState.pod(null, "pending", "main"), now);
        node.pods.state("default.pending.000005", PodState.unscheduled("Unschedulable", "no memory left"));
    }

    void log(String podId, String file, String text) throws IOException {
        Path logs = Files.createDirectories(node.pods.dir(podId).resolve("logs"));
        Files.writeString(logs.resolve(file), text);
    }

    CliRun ok(String... args) {
        CliRun run = node.run(args);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run;
    }

    void fails(String error, String... args) {
        CliRun run = node.run(args);
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("error: " + error + "\n", run.err());
    }

    @Test
    void printsTheNewestPodsLogWithBothStreamsOnStdoutAndPiecesJoined() {
        assertEquals("one\ntwo, on stderr\nthree\nfour\n", ok("logs", "worker").out());
        assertEquals("one\ntwo, on stderr\nthree\nfour\n", ok("logs", "worker", "-f").out());
        assertEquals("the replaced pod\n", ok("logs", "default.worker.000001").out(), "a pod id names one pod");
    }

    @Test
    void tailCountsWholeLines() {
        assertEquals("three\nfour\n", ok("logs", "worker", "--tail", "2").out());
        assertEquals("", ok("logs", "worker", "--tail", "0").out());
        assertEquals("one\ntwo, on stderr\nthree\nfour\n", ok("logs", "worker", "--tail", "9").out());
    }

    @Test
    void timestampsAreRfc3339InUtc() {
        assertEquals("""
                2026-03-01T10:00:01.5Z two, on stderr
                2026-03-01T10:00:02Z three
                2026-03-01T10:00:03Z four
                """, ok("logs", "worker", "--tail", "3", "--timestamps").out());
    }

    @Test
    void previousIsTheRunBeforeTheRestart() throws IOException {
        fails("previous terminated container \"main\" in pod \"worker\" not found", "logs", "worker", "--previous");
        log("default.worker.000002", "main.previous.log", "2026-03-01T09:59:00.000000000+00:00 stderr F crashed\n");
        assertEquals("crashed\n", ok("logs", "worker", "-p").out());
    }

    @Test
    void severalContainersNeedOne() {
        fails("a container name must be specified for pod web, choose one of: [app sidecar] or one of the init "
                + "containers: [setup]", "logs", "web");
        fails("container nope is not valid for pod web", "logs", "web", "-c", "nope");
        assertEquals("from the sidecar\n", ok("logs", "web", "-c", "sidecar").out());
        fails("container \"setup\" in pod \"web\" is waiting to start: PodInitializing", "logs", "web", "-c", "setup");
    }

    @Test
    void unknownAndPendingPods() {
        fails("pod \"nope\" not found in namespace \"default\"", "logs", "nope");
        fails("pod \"api\" not found in namespace \"default\" (there is one in namespace shop: -n shop)", "logs", "api");
        fails("container \"main\" in pod \"api\" is waiting to start: ContainerCreating", "logs", "-n", "shop", "api");
        fails("container \"main\" in pod \"pending\" is waiting to start: Unschedulable", "logs", "pending");
    }
}
