package dev.berth.runtime;

import dev.berth.core.BerthException;
import dev.berth.store.FileTrees;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an OCI runtime can run containers on this host, found by running one as pods are run: its own namespaces,
 * a cgroup beside the pods' with memory and pids limits, the host's {@code /usr} read-only as its whole filesystem,
 * and {@code true} as its process. Nothing is left behind: the runtime's state, the bundle and the cgroup go.
 */
final class ProbeContainer implements OciRuntimeChoice.Probe {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The host's top-level directories a dynamically linked {@code true} may need: bound, or linked as on the host. */
    private static final List<String> SYSTEM_DIRS = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32");

    private final RuntimeLayout layout;

    ProbeContainer(RuntimeLayout layout) {
        this.layout = layout;
    }

    @Override
    public Optional<String> failure(Path binary) {
        String id = "probe-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        Path bundle = layout.root().resolve("probe").resolve(id);
        try {
            List<Object> mounts = rootfs(bundle.resolve("rootfs"));
            JsonFiles.write(bundle.resolve("config.json"), config(id, mounts));
            Command.Result result = Command.run(List.of(binary.toString(), "--root", bundle.resolve("state").toString(),
                    "run", "--bundle", bundle.toString(), id), DEADLINE);
            return result.exitCode() == 0 ? Optional.empty()
                    : Optional.of(RuncCli.errorMessage(result.stderr() + result.stdout()));
        } catch (BerthException e) { // e.g. past its deadline
            return Optional.of(e.getMessage());
        } finally {
            new Cgroups().remove("/berth/" + id);
            try {
                FileTrees.deleteRecursively(bundle);
            } catch (IOException e) {
                throw new BerthException("cannot remove the probe container's bundle " + bundle + ": " + e.getMessage(), e);
            }
        }
    }

    /** Mount points for the host's system directories, and links where the host links them (merged /usr). */
    private static List<Object> rootfs(Path rootfs) {
        List<Object> mounts = new ArrayList<>(List.of(Map.of("destination", "/proc", "type", "proc", "source", "proc"),
                Map.of("destination", "/dev", "type", "tmpfs", "source", "tmpfs",
                        "options", List.of("nosuid", "strictatime", "mode=755", "size=65536k"))));
        try {
            Files.createDirectories(rootfs.resolve("proc"));
            Files.createDirectories(rootfs.resolve("dev"));
            for (String dir : SYSTEM_DIRS) {
                Path host = Path.of("/", dir);
                if (Files.isSymbolicLink(host)) {
                    Files.createSymbolicLink(rootfs.resolve(dir), Files.readSymbolicLink(host));
                } else if (Files.isDirectory(host)) {
                    Files.createDirectories(rootfs.resolve(dir));
                    mounts.add(Map.of("destination", "/" + dir, "type", "bind", "source", host.toString(),
                            "options", List.of("rbind", "ro", "nosuid", "nodev")));
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot make the probe container's root " + rootfs + ": " + e.getMessage(), e);
        }
        return mounts;
    }

    private static Map<String, Object> config(String id, List<Object> mounts) {
        return Map.of(
                "ociVersion", "1.0.2",
                "process", Map.of("terminal", false, "user", Map.of("uid", 0, "gid", 0), "args", List.of("/usr/bin/true"),
                        "env", List.of("PATH=/usr/bin:/bin"), "cwd", "/", "noNewPrivileges", true),
                "root", Map.of("path", "rootfs", "readonly", true),
                "hostname", id,
                "mounts", mounts,
                "linux", Map.of(
                        "namespaces", List.of(Map.of("type", "pid"), Map.of("type", "mount"), Map.of("type", "ipc"),
                                Map.of("type", "uts"), Map.of("type", "network")),
                        "cgroupsPath", "/berth/" + id,
                        "resources", Map.of("memory", Map.of("limit", 64L << 20), "pids", Map.of("limit", 16))));
    }
}
