package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads a container's cgroup counters and removes its cgroup, on v1, hybrid and v2 hosts alike. */
public final class Cgroups {

    private final Path root;
    private final CgroupMode mode;

    public Cgroups() {
        this(CgroupMode.ROOT, CgroupMode.detect());
    }

    Cgroups(Path root, CgroupMode mode) {
        this.root = root;
        this.mode = mode;
    }

    public CgroupMode mode() {
        return mode;
    }

    /** Current memory use in bytes; -1 when the cgroup is gone. */
    public long memoryUsage(String cgroupPath) {
        Path file = mode == CgroupMode.V2 ? dir(cgroupPath).resolve("memory.current")
                : dir("memory", cgroupPath).resolve("memory.usage_in_bytes");
        String text = readOrNull(file);
        return text == null ? -1 : Long.parseLong(text.strip());
    }

    /** Whether the kernel's OOM killer killed a process of this cgroup (v1 memory.oom_control, v2 memory.events). */
    public boolean oomKilled(String cgroupPath) {
        Path file = mode == CgroupMode.V2 ? dir(cgroupPath).resolve("memory.events")
                : dir("memory", cgroupPath).resolve("memory.oom_control");
        String text = readOrNull(file);
        return text != null && oomKillCount(text) > 0;
    }

    /** The "oom_kill N" counter of a memory.oom_control or memory.events file. */
    static long oomKillCount(String text) {
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2 && fields[0].equals("oom_kill")) {
                return Long.parseLong(fields[1]);
            }
        }
        return 0;
    }

    /**
     * Removes the cgroup in every hierarchy, but only where {@code cgroup.procs} is empty: removing a populated v1
     * cgroup fails with EBUSY. Returns false when some process still holds one, for the caller to retry.
     */
    public boolean remove(String cgroupPath) {
        boolean removedAll = true;
        for (Path dir : directories(cgroupPath)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            String procs = readOrNull(dir.resolve("cgroup.procs"));
            if (procs != null && !procs.isBlank()) {
                removedAll = false;
                continue;
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                removedAll = false;
            }
        }
        return removedAll;
    }

    /** Whether any hierarchy still has a directory for this cgroup. */
    public boolean exists(String cgroupPath) {
        return directories(cgroupPath).stream().anyMatch(Files::isDirectory);
    }

    private Set<Path> directories(String cgroupPath) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (mode == CgroupMode.V2) {
            dirs.add(dir(cgroupPath));
            return dirs;
        }
        try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(root)) {
            for (Path hierarchy : hierarchies) {
                // cpu and cpuacct are symlinks to cpu,cpuacct: the real path counts once
                if (Files.isDirectory(hierarchy)) {
                    dirs.add(hierarchy.toRealPath().resolve(relative(cgroupPath)));
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return dirs;
    }

    private Path dir(String cgroupPath) {
        return root.resolve(relative(cgroupPath));
    }

    private Path dir(String controller, String cgroupPath) {
        return root.resolve(controller).resolve(relative(cgroupPath));
    }

    private static String relative(String cgroupPath) {
        return cgroupPath.replaceFirst("^/+", "");
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
