package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway runtime root under /run plus a busybox root filesystem as an overlay's lower dir, standing in for
 * what the snapshotter provides. Missing prerequisites skip the test, or fail it when CI=true.
 */
final class RuntimeFixture implements AutoCloseable {

    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "sleep", "echo", "ps", "cat", "hostname", "id", "ls",
            "mount", "true", "false", "dd", "head", "tail", "wget", "nc", "ip", "httpd", "mkdir", "seq");

    final Path root;
    final RuntimeLayout layout;
    final String cgroupParent = "/berth-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path lower;

    RuntimeFixture() throws IOException {
        requirePrerequisites();
        root = Files.createTempDirectory(Path.of("/run"), "berth-test-");
        layout = new RuntimeLayout(root.resolve("state"));
        lower = root.resolve("images/busybox");
        Files.createDirectories(lower.resolve("bin"));
        Files.createDirectories(lower.resolve("tmp"));
        Files.copy(BUSYBOX, lower.resolve("bin/busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(lower.resolve("bin").resolve(applet), Path.of("busybox"));
        }
    }

    private static void requirePrerequisites() {
        require(System.getProperty("user.name").equals("root"), "must run as root");
        require(Files.isExecutable(BUSYBOX), "needs busybox-static at " + BUSYBOX);
        require(Files.isExecutable(Path.of("/usr/bin/conmon")), "needs conmon at /usr/bin/conmon");
        require(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")), "needs runc");
    }

    private static void require(boolean condition, String message) {
        if (!condition && "true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true: prerequisites are mandatory)");
        }
        Assumptions.assumeTrue(condition, message);
    }

    /** The state root a node using the runtime would have: it marks the containers as this node's. */
    Path stateRoot() {
        return root.resolve("node");
    }

    ContainerRuntime runtime() {
        return new ContainerRuntime(layout, stateRoot());
    }

    /** A spec with its own overlay (upper and work dirs) over the busybox lower dir. */
    ContainerSpec spec(String id, String hostname, Resources resources, SharedNamespaces namespaces, long logSizeMax,
                       String... args) throws IOException {
        Path upper = Files.createDirectories(root.resolve("layers").resolve(id).resolve("upper"));
        Path work = Files.createDirectories(root.resolve("layers").resolve(id).resolve("work"));
        Mount overlay = new Mount("overlay", "overlay",
                List.of("lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work));
        return new ContainerSpec(id, hostname, ProcessSpec.of(List.of(args), List.of("PATH=/bin")), List.of(overlay),
                List.of(), resources, namespaces, cgroupParent + "/" + id, logPath(id), logSizeMax);
    }

    ContainerSpec spec(String id, String... args) throws IOException {
        return spec(id, id, Resources.NONE, SharedNamespaces.NONE, 0, args);
    }

    Path logPath(String id) {
        return root.resolve("logs").resolve(id + ".log");
    }

    /** Polls until conmon has recorded the exit. */
    static ContainerStatus awaitExit(ContainerRuntime runtime, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ContainerStatus status = runtime.state(id);
            if (status.exitCode() != null) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " did not exit within 20s: " + runtime.state(id));
    }

    @Override
    public void close() throws IOException {
        ContainerRuntime runtime = runtime();
        for (ContainerStatus status : runtime.list()) {
            runtime.remove(status.id());
        }
        PodNamespaces namespaces = new PodNamespaces(layout.namespaces(), new Mounter());
        if (Files.isDirectory(layout.namespaces())) {
            try (Stream<Path> pods = Files.list(layout.namespaces())) {
                pods.forEach(pod -> namespaces.release(pod.getFileName().toString()));
            }
        }
        new Cgroups().remove(cgroupParent);
        new Mounter().unmountAllUnder(root);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
