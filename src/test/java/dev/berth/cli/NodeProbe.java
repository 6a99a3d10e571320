package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.MountTable;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.RuntimeLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the node really has, asked of its OCI runtime, /proc, the cgroup filesystem, the mount table and the directories
 * themselves rather than of berth's records: for tests that check nothing is left over.
 */
final class NodeProbe {

    private NodeProbe() {}

    /** The containers the OCI runtime berth chose for {@code runRoot} (crun or runc) knows of, under its own root. */
    static List<String> ociContainers(Path runRoot) throws IOException {
        String out = oci(runRoot, "list", "-q");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Runs the node's own OCI runtime with its root, as someone behind berth's back would; its output, asserting exit 0. */
    static String oci(Path runRoot, String... args) throws IOException {
        RuntimeLayout layout = new RuntimeLayout(runRoot);
        OciRuntimeChoice.Choice runtime = new OciRuntimeChoice(layout).observed();
        List<String> command = new ArrayList<>(List.of(runtime.binary().toString(), "--root",
                layout.ociRoot(runtime.name()).toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + out);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** {@link #conmons(Path)} once it is {@code expected}, or after 5 s: a container's conmon outlives it a moment. */
    static List<String> conmons(Path under, List<String> expected) throws IOException, InterruptedException {
        List<String> monitors = conmons(under);
        for (int i = 0; i < 50 && !monitors.equals(expected); i++) {
            Thread.sleep(100);
            monitors = conmons(under);
        }
        return monitors;
    }

    /**
     * The container id ({@code -c}) of every conmon whose exit directory is under {@code under}, sorted; a
     * container monitored twice shows twice.
     */
    static List<String> conmons(Path under) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                List<String> argv;
                try {
                    argv = List.of(Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).split("\0"));
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                int exitDir = argv.indexOf("--exit-dir");
                int id = argv.indexOf("-c");
                if (!argv.isEmpty() && argv.get(0).endsWith("conmon") && exitDir > 0 && id > 0
                        && argv.get(exitDir + 1).startsWith(under.toString() + "/")) {
                    ids.add(argv.get(id + 1));
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /** Every cgroup directory under berth's parent cgroup, in every hierarchy. */
    static Set<Path> berthCgroups() throws IOException {
        Set<Path> out = new TreeSet<>();
        List<Path> parents = new ArrayList<>();
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/pids"))) { // v1 or hybrid: one tree per controller
            try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path h : hierarchies.toList()) {
                    if (Files.isDirectory(h.resolve("berth"))) {
                        parents.add(h.toRealPath().resolve("berth"));
                    }
                }
            }
        } else if (Files.isDirectory(Path.of("/sys/fs/cgroup/berth"))) {
            parents.add(Path.of("/sys/fs/cgroup/berth"));
        }
        for (Path parent : parents) {
            try (Stream<Path> cgroups = Files.list(parent)) {
                cgroups.filter(Files::isDirectory).forEach(out::add);
            } catch (NoSuchFileException e) {
                // removed meanwhile
            }
        }
        return out;
    }

    static Set<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (NoSuchFileException e) {
            return new TreeSet<>();
        }
    }

    /** Mount points at or below {@code dir}, sorted; one mounted twice shows twice. */
    static List<String> mountsUnder(Path dir) {
        return sorted(MountTable.mountPointsUnder(dir).stream().map(Path::toString).toList());
    }

    static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
