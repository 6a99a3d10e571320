package dev.berth.bench;

import dev.berth.runtime.Mounter;
import dev.berth.store.FileTrees;
import dev.berth.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * podman with storage of its own under the benchmark's work directory ({@code --root}, {@code --runroot},
 * {@code --tmpdir}), so the benchmark neither sees nor touches the machine's containers. The OCI runtime berth
 * uses (crun or runc, as {@code --runtime}), and rlimits within the host's: as root podman asks for more than a
 * host with hard limits allows.
 */
final class Podman implements AutoCloseable {

    private final Path dir;
    private final Path runDir;
    private final Path binary;

    private Podman(Path dir, Path runDir, Path binary) {
        this.dir = dir;
        this.runDir = runDir;
        this.binary = binary;
    }

    /** @param runtime the OCI runtime podman runs, crun or runc */
    static Podman find(Path dir, String runtime) throws IOException {
        Path binary = Path.of("/usr/bin/podman");
        if (!Files.isExecutable(binary)) {
            return null;
        }
        Files.createDirectories(dir);
        // podman lowers its own hard nproc to 32768 as root; conmon and the runtime inherit that
        long nofile = Math.min(hardLimit("Max open files"), 1 << 20);
        long nproc = Math.min(hardLimit("Max processes"), 32768);
        Files.writeString(dir.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=%d:%d", "nproc=%d:%d"]
                [engine]
                runtime = "%s"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """.formatted(nofile, nofile, nproc, nproc, runtime));
        // podman wants a run root of at most 50 characters
        return new Podman(dir, Path.of("/run/berth-bench-" + ProcessHandle.current().pid() + "-podman"), binary);
    }

    private static long hardLimit(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith(name)) {
                String hard = line.substring(name.length()).trim().split("\\s+")[1];
                return "unlimited".equals(hard) ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        return Long.MAX_VALUE;
    }

    String version() {
        return run("--version").strip();
    }

    /** Loads the image over 127.0.0.1 only, from the benchmark's registry. */
    void pull(String image) {
        run("pull", "-q", "--tls-verify=false", image);
    }

    String run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", dir.resolve("root").toString(),
                "--runroot", runDir.resolve("run").toString(), "--tmpdir", runDir.resolve("tmp").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        return Processes.run(pb);
    }

    /** The names of the benchmark's app containers (not the pods' infra containers), all or running only. */
    List<String> containers(boolean runningOnly) {
        List<String> args = new ArrayList<>(List.of("ps", "--format", "{{.Names}}"));
        args.add(runningOnly ? "--filter=status=running" : "-a");
        return run(args.toArray(String[]::new)).lines().map(String::trim)
                .filter(name -> name.startsWith(ConvergeBenchmark.POD_PREFIX) && name.endsWith("-main")).toList();
    }

    /**
     * Removes every pod, container and image of its private storage (not {@code system reset}: that would also
     * remove the machine's CNI networks); the caller unmounts and deletes the directory.
     */
    @Override
    public void close() throws IOException {
        try {
            run("pod", "rm", "-a", "-f", "-t", "0");
            run("rmi", "-a", "-f");
        } finally {
            new Mounter().unmountAllUnder(runDir);
            FileTrees.deleteRecursively(runDir);
        }
    }
}
