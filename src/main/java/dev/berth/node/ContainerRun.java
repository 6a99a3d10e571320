package dev.berth.node;

import java.time.Instant;

/**
 * One container's life across restarts, as the node tracks it (part of {@link PodState}).
 *
 * @param startedAt      when the current run started; null before the first start
 * @param lastExitCode   exit code of the previous run; null if it never exited
 * @param lastReason     Completed, Error or OOMKilled, as the kubelet reports a terminated container
 * @param lastMessage    the previous run's termination message ({@link TerminationMessage}); null if it never exited
 * @param backoffSeconds the CrashLoopBackOff delay in force; 0 before the first restart
 * @param restartAt      when the container may start again; null while it runs or when it will not restart
 */
public record ContainerRun(int restarts, Instant startedAt, Integer lastExitCode, Instant lastFinishedAt,
                           String lastReason, String lastMessage, long backoffSeconds, Instant restartAt) {

    public static ContainerRun startedAt(Instant at) {
        return new ContainerRun(0, at, null, null, null, null, 0, null);
    }
}
