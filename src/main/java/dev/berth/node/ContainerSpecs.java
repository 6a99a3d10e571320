package dev.berth.node;

import dev.berth.core.Mount;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.ExtraMount;
import dev.berth.runtime.ProcessSpec;
import dev.berth.runtime.Resources;
import dev.berth.runtime.SharedNamespaces;
import java.nio.file.Path;
import java.util.List;

/** Turns a planned {@link ContainerLaunch} into the runtime's Kubernetes-free {@link ContainerSpec}. */
final class ContainerSpecs {

    /** conmon rotates a container's log at this size. */
    static final long LOG_SIZE_MAX = 10L << 20;

    private ContainerSpecs() {}

    static ContainerSpec of(String id, String hostname, ContainerLaunch launch, List<Mount> rootfs,
                            List<ExtraMount> mounts, SharedNamespaces namespaces, Path logPath) {
        var security = launch.security();
        ContainerUser user = launch.user();
        ProcessSpec process = new ProcessSpec(launch.argv(), launch.env(), launch.cwd(), Math.toIntExact(user.uid()),
                Math.toIntExact(user.gid()), user.additionalGids().stream().map(Math::toIntExact).toList(),
                security.noNewPrivileges(), security.addCapabilities(), security.dropCapabilities(),
                security.readOnlyRootfs(), security.privileged(), security.seccomp());
        CgroupLimits l = launch.limits();
        Resources resources = new Resources(l.cpuQuota(), l.cpuPeriod(), l.cpuShares(), l.memoryLimit(), l.pidsLimit());
        // one flat level under /berth: a per-pod parent would be one more cgroup to remove in every hierarchy
        return new ContainerSpec(id, hostname, process, rootfs, mounts, resources, namespaces, "/berth/" + id,
                logPath, LOG_SIZE_MAX);
    }
}
