package dev.berth.doctor;

import dev.berth.runtime.CgroupMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the host mounts cgroups, and whether the controllers behind pods' limits are there. */
public final class CgroupChecks implements CheckGroup {

    /** CPU quota and shares, the memory limit and its usage, the pids limit. */
    static final List<String> NEEDED = List.of("cpu", "memory", "pids");

    private final Path root;
    private final CgroupMode mode;

    /** @param root /sys/fs/cgroup, or a tree laid out like it */
    public CgroupChecks(Path root, CgroupMode mode) {
        this.root = root;
        this.mode = mode;
    }

    public static CgroupChecks ofMachine() {
        return new CgroupChecks(Path.of("/sys/fs/cgroup"), CgroupMode.detect());
    }

    @Override
    public String topic() {
        return "cgroups";
    }

    @Override
    public List<Check> run() {
        return List.of(mode == CgroupMode.V2 ? unified() : perController());
    }

    /** cgroup v2: the root's cgroup.controllers lists what the kernel offers. */
    private Check unified() {
        List<String> available = words(root.resolve("cgroup.controllers"));
        List<String> missing = NEEDED.stream().filter(c -> !available.contains(c)).toList();
        if (!missing.isEmpty()) {
            return Check.error("cgroups", "v2 without the " + String.join(", ", missing) + " controller"
                    + (missing.size() > 1 ? "s" : "") + ": pods' limits cannot be set",
                    "enable it on the kernel's command line (e.g. cgroup_enable=memory) and reboot");
        }
        return Check.ok("cgroups", "v2: " + String.join(", ", available));
    }

    /** v1 and hybrid: one hierarchy per controller under /sys/fs/cgroup; hybrid adds cgroup2 at unified/. */
    private Check perController() {
        List<String> mounted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String controller : NEEDED) {
            (Files.exists(root.resolve(controller).resolve("cgroup.procs")) ? mounted : missing).add(controller);
        }
        String name = mode == CgroupMode.HYBRID ? "hybrid" : "v1";
        if (!missing.isEmpty()) {
            String first = missing.get(0);
            return Check.error("cgroups", name + " without a " + String.join(", ", missing) + " hierarchy under "
                    + root + ": pods' limits cannot be set", "mount it, as systemd does at boot: mkdir -p " + root
                    + "/" + first + " && mount -t cgroup -o " + first + " cgroup " + root + "/" + first);
        }
        String message = name + ": " + String.join(", ", mounted) + " on v1";
        if (mode == CgroupMode.HYBRID) {
            List<String> bound = words(root.resolve("unified/cgroup.controllers"));
            message += "; cgroup2 at " + root.resolve("unified") + " holds "
                    + (bound.isEmpty() ? "no controller" : String.join(", ", bound));
        }
        return Check.ok("cgroups", message);
    }

    private static List<String> words(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
