package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.runtime.MountTable;
import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code berth run-pod} on a state root in a test's directory, pulling from a test registry; checks afterwards that
 * the pod left no mount, bundle or cgroup behind.
 */
final class PodRunner {

    private final Path dir;
    private final TestRegistry registry;
    final Path runRoot = Path.of("/run/berth-it-" + ProcessHandle.current().pid());

    PodRunner(Path dir, TestRegistry registry) {
        this.dir = dir;
        this.registry = registry;
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

    /** No mount under the state and run roots, no bundle, no cgroup of berth's; then the run root goes. */
    void assertNothingLeft() throws IOException {
        assertEquals(List.of(), MountTable.mountPointsUnder(dir), "mounts left under the state root");
        assertEquals(List.of(), MountTable.mountPointsUnder(runRoot), "mounts left under the run root");
        if (Files.isDirectory(runRoot)) {
            try (Stream<Path> bundles = Files.list(runRoot.resolve("bundles"))) {
                assertEquals(List.of(), bundles.toList(), "bundles left");
            }
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
