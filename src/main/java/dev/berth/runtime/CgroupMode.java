package dev.berth.runtime;

import java.nio.file.Path;
import java.util.List;

/** How the host mounts cgroups; decides where limits and counters live. */
public enum CgroupMode {
    /** Controllers in per-controller v1 hierarchies under /sys/fs/cgroup/CONTROLLER. */
    V1,
    /** v1 controllers plus an empty cgroup2 tree at /sys/fs/cgroup/unified (systemd's "hybrid"). */
    HYBRID,
    /** One cgroup2 tree at /sys/fs/cgroup. */
    V2;

    static final Path ROOT = Path.of("/sys/fs/cgroup");

    public static CgroupMode detect() {
        return detect(MountTable.read());
    }

    /** cgroup2 at /sys/fs/cgroup is v2; otherwise (a tmpfs of v1 hierarchies) hybrid when cgroup2 sits in unified. */
    static CgroupMode detect(List<MountTable.Entry> mounts) {
        boolean v2Root = false;
        boolean unified = false;
        for (MountTable.Entry mount : mounts) {
            if (mount.fsType().equals("cgroup2")) {
                v2Root |= mount.mountPoint().equals(ROOT);
                unified |= mount.mountPoint().equals(ROOT.resolve("unified"));
            }
        }
        return v2Root ? V2 : unified ? HYBRID : V1;
    }
}
