package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.runtime.MountTable;
import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import dev.berth.testing.DnsServers;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code berth run-pod} for a test class, as a JUnit extension: a test registry for the class (root, runc and conmon
 * required), a state root in a fresh directory per test, and afterwards the check that the pod left no mount,
 * bundle or cgroup behind. Register it as {@code @RegisterExtension static final PodRunner runner = ...}.
 */
final class PodRunner implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final UnaryOperator<TestRegistry> images;
    private TestRegistry registry;
    private Path dir;
    final Path runRoot = Path.of("/run/berth-it-" + ProcessHandle.current().pid());

    private PodRunner(UnaryOperator<TestRegistry> images) {
        this.images = images;
    }

    /** Pods whose images are busybox:1.35 and what {@code images} pushes beside it. */
    static PodRunner withImages(UnaryOperator<TestRegistry> images) {
        return new PodRunner(images);
    }

    static PodRunner withBusybox() {
        return new PodRunner(registry -> registry);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("runc", "conmon");
        TestRegistry.requirePrerequisites();
        DnsServers.killOrphans();
        registry = images.apply(TestRegistry.start().pushBusybox());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("berth-it-pod-");
    }

    /** The directory deleted only once nothing is mounted under it: a bind mount left behind must not be emptied. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        assertNothingLeft();
        FileTrees.deleteRecursively(dir);
    }

    /** The test's directory: its state root is {@code state/}. */
    Path dir() {
        return dir;
    }

    CliRun run(String yaml) throws IOException {
        return CliRun.of(arguments(yaml).toArray(String[]::new));
    }

    /** The command line of {@code berth run-pod} (without the launcher) for a pod file holding {@code yaml}. */
    List<String> arguments(String yaml) throws IOException {
        Files.createDirectories(runRoot.resolve("bundles"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "registries:\n  docker.io: {mirrors: [\"" + registry.url() + "\"]}\n");
        Path pod = dir.resolve("pod.yaml");
        Files.writeString(pod, yaml);
        return List.of("run-pod", pod.toString(), "--config", config.toString(), "--root", dir.resolve("state").toString(),
                "--run-root", runRoot.toString());
    }

    /**
     * No mount under the state and run roots, no bundle, no pod network, no cgroup of berth's; then the run root goes.
     */
    private void assertNothingLeft() throws IOException {
        assertEquals(List.of(), MountTable.mountPointsUnder(dir), "mounts left under the state root");
        assertEquals(List.of(), MountTable.mountPointsUnder(runRoot), "mounts left under the run root");
        assertEquals(List.of(), DnsServers.killUnder(runRoot), "the pods' DNS server left running");
        if (Files.isDirectory(runRoot)) {
            try (Stream<Path> bundles = Files.list(runRoot.resolve("bundles"))) {
                assertEquals(List.of(), bundles.toList(), "bundles left");
            }
            assertEquals(List.of(), NodeFixture.cniResults(runRoot), "pod networks left (cached CNI results)");
        }
        FileTrees.deleteRecursively(runRoot);
        Path berthCgroups = Path.of(Files.isDirectory(Path.of("/sys/fs/cgroup/pids")) ? "/sys/fs/cgroup/pids/berth"
                : "/sys/fs/cgroup/berth"); // cgroup v1 (or hybrid) : v2
        if (Files.isDirectory(berthCgroups)) {
            try (Stream<Path> cgroups = Files.list(berthCgroups)) {
                assertEquals(List.of(), cgroups.filter(Files::isDirectory).toList(), "cgroups left");
            }
        }
    }
}
