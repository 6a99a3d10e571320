package dev.berth.runtime;

import java.nio.file.Path;

/**
 * Pinned namespaces a container joins (a pod's network, IPC and UTS); null means the container gets a new one.
 * PID, mount and cgroup namespaces are always new.
 */
public record SharedNamespaces(Path network, Path ipc, Path uts) {

    public static final SharedNamespaces NONE = new SharedNamespaces(null, null, null);
}
