package dev.berth.node;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's CrashLoopBackOff: after a container exits, wait 10 s before restarting it, doubling with each
 * further exit up to 5 minutes; a container that ran for 10 minutes before exiting starts over at 10 s. Pure:
 * the caller gives the times.
 */
public record RestartBackoff(int restarts, Duration delay) {

    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);
    static final Duration RESET_AFTER = Duration.ofMinutes(10);

    public static RestartBackoff none() {
        return new RestartBackoff(0, Duration.ZERO);
    }

    /** The backoff after the container, started at {@code startedAt}, exited at {@code exitedAt}. */
    public RestartBackoff afterExit(Instant startedAt, Instant exitedAt) {
        if (Duration.between(startedAt, exitedAt).compareTo(RESET_AFTER) >= 0 || delay.isZero()) {
            return new RestartBackoff(restarts + 1, INITIAL);
        }
        Duration doubled = delay.multipliedBy(2);
        return new RestartBackoff(restarts + 1, doubled.compareTo(MAX) > 0 ? MAX : doubled);
    }

    /** When the container may be started again. */
    public Instant restartAt(Instant exitedAt) {
        return exitedAt.plus(delay);
    }

    /** Whether restartPolicy wants a container that exited with {@code exitCode} started again. */
    public static boolean shouldRestart(String restartPolicy, int exitCode) {
        return switch (restartPolicy) {
            case "Always" -> true;
            case "OnFailure" -> exitCode != 0;
            default -> false;
        };
    }
}
