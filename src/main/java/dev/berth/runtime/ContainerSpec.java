package dev.berth.runtime;

import dev.berth.core.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the runtime needs to create one container, free of Kubernetes terms.
 *
 * @param rootfs     mounts from the snapshotter that together form the root filesystem (usually one overlay)
 * @param mounts     further mounts: volumes, secrets, tmpfs
 * @param cgroupPath cgroup path relative to the cgroup root, e.g. {@code /berth/pod-uid/app}
 * @param logPath    where conmon writes the CRI-format log
 * @param logSizeMax rotate the log once it reaches this many bytes; 0 for never
 */
public record ContainerSpec(String id, String hostname, ProcessSpec process, List<Mount> rootfs,
                            List<ExtraMount> mounts, Resources resources, SharedNamespaces namespaces,
                            String cgroupPath, Path logPath, long logSizeMax) {

    public ContainerSpec {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("container id must be [A-Za-z0-9_.-], at most 128 characters: " + id);
        }
        Objects.requireNonNull(process, "process");
        rootfs = List.copyOf(rootfs);
        mounts = List.copyOf(mounts);
        resources = resources == null ? Resources.NONE : resources;
        namespaces = namespaces == null ? SharedNamespaces.NONE : namespaces;
        Objects.requireNonNull(cgroupPath, "cgroupPath");
        Objects.requireNonNull(logPath, "logPath");
    }
}
