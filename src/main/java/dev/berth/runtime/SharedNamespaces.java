package dev.berth.runtime;

import java.nio.file.Path;

/**
 * Pinned namespaces a container joins (a pod's network, IPC and UTS); null means the container gets a new one.
 * Mount and cgroup namespaces are always new; the PID namespace too, unless {@code hostPid} says to stay in the host's.
 */
public record SharedNamespaces(Path network, Path ipc, Path uts, boolean hostPid) {

    public static final SharedNamespaces NONE = new SharedNamespaces(null, null, null, false);
}
