package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real runc, conmon, overlay mounts and cgroups; needs root. */
class ContainerRuntimeIT {

    private RuntimeFixture fixture;
    private ContainerRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RuntimeFixture();
        runtime = fixture.runtime();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private List<String> messages(String id) {
        return ContainerLogs.tail(fixture.logPath(id), Integer.MAX_VALUE);
    }

    @Test
    void recordsOutputAndExitCodeThenRemovesEverything() throws Exception {
        runtime.create(fixture.spec("echo", "sh", "-c", "echo hello; exit 3"));
        assertEquals(RuntimeState.Status.CREATED, runtime.state("echo").status());
        runtime.start("echo");
        ContainerStatus status = RuntimeFixture.awaitExit(runtime, "echo");

        assertEquals(3, status.exitCode());
        assertNotNull(status.finishedAt());
        assertEquals(RuntimeState.Status.STOPPED, status.status());
        assertFalse(status.oomKilled());
        LogLine line = ContainerLogs.read(fixture.logPath("echo")).get(0);
        assertEquals("stdout", line.stream());
        assertEquals("hello", line.content());

        Path bundle = fixture.layout.bundle("echo");
        assertTrue(new Mounter().isMountPoint(bundle.resolve("rootfs")));
        runtime.remove("echo");
        assertTrue(MountTable.mountPointsUnder(bundle).isEmpty());
        assertFalse(Files.exists(bundle));
        assertFalse(new Cgroups().exists(fixture.cgroupParent + "/echo"));
        assertTrue(runtime.list().isEmpty());
        ContainerException gone = assertThrows(ContainerException.class, () -> runtime.state("echo"));
        assertEquals(ContainerException.Kind.NOT_FOUND, gone.kind());
    }

    @Test
    void namedErrorsForWrongTransitions() throws Exception {
        runtime.create(fixture.spec("twice", "sh", "-c", "exit 0"));
        ContainerException exists = assertThrows(ContainerException.class,
                () -> runtime.create(fixture.spec("twice", "true")));
        assertEquals(ContainerException.Kind.ALREADY_EXISTS, exists.kind());
        runtime.start("twice");
        RuntimeFixture.awaitExit(runtime, "twice");
        ContainerException restart = assertThrows(ContainerException.class, () -> runtime.start("twice"));
        assertEquals(ContainerException.Kind.INVALID_TRANSITION, restart.kind());
    }

    @Test
    void ownPidNamespaceAndHostname() throws Exception {
        runtime.create(fixture.spec("ps", "box-7", Resources.NONE, SharedNamespaces.NONE, 0,
                "sh", "-c", "ps -o pid,comm; hostname"));
        runtime.start("ps");
        RuntimeFixture.awaitExit(runtime, "ps");
        List<String> out = messages("ps");
        assertEquals("box-7", out.get(out.size() - 1));
        List<String> processes = out.subList(1, out.size() - 1); // after the header
        assertEquals(2, processes.size(), "only sh and ps: " + out);
        assertTrue(processes.get(0).strip().startsWith("1 "), "sh is pid 1: " + out);
    }

    @Test
    void memoryLimitIsAppliedAndOomKillIsReported() throws Exception {
        String limitFile = new Cgroups().mode() == CgroupMode.V2 ? "/sys/fs/cgroup/memory.max"
                : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
        runtime.create(fixture.spec("oom", "oom", new Resources(0, 0, 0, 32L << 20, 0), SharedNamespaces.NONE, 0,
                "sh", "-c", "cat " + limitFile + "; head -c 200m /dev/zero | tail; echo survived"));
        runtime.start("oom");
        ContainerStatus status = RuntimeFixture.awaitExit(runtime, "oom");
        assertEquals("33554432", messages("oom").get(0));
        assertTrue(status.oomKilled(), "OOM kill reported: " + status + " " + messages("oom"));
    }

    @Test
    void containersOfOnePodShareNetworkAndHostname() throws Exception {
        PodNamespaces pods = new PodNamespaces(fixture.layout.namespaces(), new Mounter());
        SharedNamespaces pod = pods.pin("pod-a", NamespaceOptions.DEFAULT);
        assertTrue(pods.isPinned("pod-a"));
        runtime.create(fixture.spec("server", "pod-a", Resources.NONE, pod, 0, "sh", "-c",
                "mkdir -p /tmp/www && echo pong > /tmp/www/index.html && httpd -f -p 127.0.0.1:8080 -h /tmp/www"));
        runtime.start("server");
        runtime.create(fixture.spec("client", "pod-a", Resources.NONE, pod, 0, "sh", "-c",
                "for i in $(seq 300); do wget -q -O - http://127.0.0.1:8080/ && break; sleep 0.1; done; hostname"));
        runtime.start("client");
        ContainerStatus client = RuntimeFixture.awaitExit(runtime, "client");
        assertEquals(List.of("pong", "pod-a"), messages("client"), "client " + client);

        runtime.stop("server", Duration.ofSeconds(2));
        runtime.remove("server");
        runtime.remove("client");
        pods.release("pod-a");
        assertFalse(pods.isPinned("pod-a"));
        assertFalse(Files.exists(fixture.layout.namespaces().resolve("pod-a")));
    }

    @Test
    void aNewRuntimeInstanceFindsRunningContainersAndStopsThem() throws Exception {
        runtime.create(fixture.spec("sleeper", "sleep", "300"));
        runtime.start("sleeper");
        runtime.create(fixture.spec("polite", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"));
        runtime.start("polite");
        runtime = null; // berth restarts: nothing of the old instance survives but disk and runc

        ContainerRuntime restarted = fixture.runtime();
        List<ContainerStatus> listed = restarted.list();
        assertEquals(List.of("sleeper", "polite"), listed.stream().map(ContainerStatus::id).toList());
        assertTrue(listed.stream().allMatch(s -> s.status() == RuntimeState.Status.RUNNING && s.pid() > 0));
        assertTrue(restarted.cleanupOrphans().isEmpty());
        OciRuntime.ExecResult exec = restarted.exec("sleeper", List.of("hostname"), Duration.ofSeconds(10));
        assertEquals(0, exec.exitCode());
        assertEquals("sleeper", exec.stdout().strip());

        long before = System.nanoTime();
        ContainerStatus polite = restarted.stop("polite", Duration.ofSeconds(10));
        assertEquals(0, polite.exitCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - before).toMillis() < 5000, "TERM ended it before the grace");

        before = System.nanoTime();
        ContainerStatus sleeper = restarted.stop("sleeper", Duration.ofMillis(300));
        assertTrue(Duration.ofNanos(System.nanoTime() - before).toMillis() >= 300, "waited the grace period");
        assertEquals(137, sleeper.exitCode(), "pid 1 ignores SIGTERM, so SIGKILL ended it");
        assertEquals(RuntimeState.Status.STOPPED, sleeper.status());
    }

    @Test
    void statesOfAllContainersFromOneListAgreeWithEachState() throws Exception {
        runtime.create(fixture.spec("created", "true"));
        runtime.create(fixture.spec("running", "sleep", "300"));
        runtime.start("running");
        runtime.create(fixture.spec("exited", "sh", "-c", "exit 4"));
        runtime.start("exited");
        RuntimeFixture.awaitExit(runtime, "exited");
        Path half = Files.createDirectories(fixture.layout.bundle("half")); // a bundle runc never created
        new ContainerRecord("half", fixture.cgroupParent + "/half", fixture.logPath("half"), java.time.Instant.now(),
                fixture.stateRoot())
                .write(half);

        java.util.Map<String, ContainerStatus> states = runtime.states();
        assertEquals(java.util.Set.of("created", "running", "exited", "half"), states.keySet());
        for (String id : states.keySet()) {
            assertEquals(runtime.state(id), states.get(id), id);
        }
        assertEquals(RuntimeState.Status.CREATED, states.get("created").status());
        assertEquals(RuntimeState.Status.RUNNING, states.get("running").status());
        assertTrue(states.get("running").pid() > 0);
        assertEquals(4, states.get("exited").exitCode());
        assertEquals(RuntimeState.Status.STOPPED, states.get("half").status());
        assertEquals(List.of("half"), runtime.strays(java.util.Set.of("created", "running", "exited")));
        runtime.stop("running", Duration.ZERO);
    }

    @Test
    void stopsAContainerWhoseConmonIsGone() throws Exception {
        runtime.create(fixture.spec("orphan", "sleep", "300"));
        runtime.start("orphan");
        long conmon = Long.parseLong(Files.readString(fixture.layout.bundle("orphan").resolve("conmon.pid")).strip());
        new ProcessBuilder("kill", "-9", Long.toString(conmon)).start().waitFor();

        long before = System.nanoTime();
        ContainerStatus stopped = runtime.stop("orphan", Duration.ofMillis(300));
        long millis = Duration.ofNanos(System.nanoTime() - before).toMillis();
        assertEquals(RuntimeState.Status.STOPPED, stopped.status());
        assertTrue(millis >= 300 && millis < 5000, "runc asked instead of waiting for an exit file: " + millis + " ms");
    }

    @Test
    void logIsRotatedAtTheSizeLimit() throws Exception {
        runtime.create(fixture.spec("chatty", "chatty", Resources.NONE, SharedNamespaces.NONE, 4096,
                "sh", "-c", "for i in $(seq 1000); do echo line-$i-padding-padding-padding; done"));
        runtime.start("chatty");
        RuntimeFixture.awaitExit(runtime, "chatty");
        long size = Files.size(fixture.logPath("chatty"));
        assertTrue(size <= 4096 + 200, "rotated near 4096 bytes, not " + size);
        List<String> out = messages("chatty");
        assertEquals("line-1000-padding-padding-padding", out.get(out.size() - 1));
        assertFalse(out.contains("line-1-padding-padding-padding"));
    }

    @Test
    void cleanupRemovesABundleThatRuncNeverCreated() throws Exception {
        Path rootfs = Files.createDirectories(fixture.layout.bundle("half").resolve("rootfs"));
        new ContainerRecord("half", fixture.cgroupParent + "/half", fixture.logPath("half"), java.time.Instant.now(),
                fixture.stateRoot())
                .write(fixture.layout.bundle("half"));
        new Mounter().mountAll(fixture.spec("half", "true").rootfs(), rootfs);

        assertEquals(List.of("half"), fixture.runtime().cleanupOrphans());
        assertTrue(MountTable.mountPointsUnder(fixture.layout.bundle("half")).isEmpty());
        assertFalse(Files.exists(fixture.layout.bundle("half")));
    }

    /**
     * Two state roots on one run root (a trial {@code apply --root /tmp/try} beside the node's daemon): neither takes
     * the other's containers, running or half-made, for strays.
     */
    @Test
    void anotherStateRootsContainersAreNeverStrays() throws Exception {
        ContainerRuntime other = new ContainerRuntime(fixture.layout, fixture.root.resolve("other-node"));
        other.create(fixture.spec("theirs", "sleep", "300"));
        other.start("theirs");
        Path half = Files.createDirectories(fixture.layout.bundle("their-half").resolve("rootfs"));
        new ContainerRecord("their-half", fixture.cgroupParent + "/their-half", fixture.logPath("their-half"),
                java.time.Instant.now(), fixture.root.resolve("other-node")).write(half.getParent());
        runtime.create(fixture.spec("mine", "true"));

        assertEquals(List.of("mine"), runtime.strays(java.util.Set.of()));
        assertEquals(List.of(), runtime.cleanupOrphans(), "their half-made bundle is theirs to clean");
        assertTrue(Files.exists(half));
        assertEquals(RuntimeState.Status.RUNNING, runtime.state("theirs").status());
        assertEquals(List.of("their-half"), other.cleanupOrphans());
        other.stop("theirs", Duration.ZERO);
        other.remove("theirs");
    }

    /**
     * berth killed while conmon runs runc create, and started again at once: the create goes on without berth, so
     * its bundle, which runc does not know yet, is no orphan. Removing it would leave runc a container no bundle names.
     */
    @Test
    void cleanupLeavesACreateStillUnderWay() throws Exception {
        ContainerSpec spec = fixture.spec("inflight", "sleep", "60");
        Path conmonPid = fixture.layout.bundle("inflight").resolve("conmon.pid");
        java.util.concurrent.CompletableFuture<Void> create = java.util.concurrent.CompletableFuture.runAsync(
                () -> runtime.create(spec));
        while (!Files.exists(conmonPid) && !create.isDone()) { // conmon has daemonized and runs runc create
            Thread.onSpinWait();
        }
        List<String> removed = fixture.runtime().cleanupOrphans();
        create.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(List.of(), removed);
        assertEquals(RuntimeState.Status.CREATED, runtime.state("inflight").status());
        assertEquals(List.of("inflight"), runtime.list().stream().map(ContainerStatus::id).toList());
    }
}
