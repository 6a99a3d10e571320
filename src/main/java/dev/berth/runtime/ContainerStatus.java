package dev.berth.runtime;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A container as berth sees it: the runtime's state joined with what conmon recorded.
 *
 * @param pid        0 unless created or running
 * @param exitCode   null until the container has exited
 * @param finishedAt null until the container has exited
 * @param forgotten  the runtime no longer knows the container, which berth never deletes without its bundle:
 *                   someone removed it behind berth's back, or the host rebooted
 */
public record ContainerStatus(String id, RuntimeState.Status status, int pid, Integer exitCode, Instant finishedAt,
                              boolean oomKilled, Path logPath, boolean forgotten) {

    public ContainerStatus(String id, RuntimeState.Status status, int pid, Integer exitCode, Instant finishedAt,
                           boolean oomKilled, Path logPath) {
        this(id, status, pid, exitCode, finishedAt, oomKilled, logPath, false);
    }
}
