package dev.berth.node;

import java.time.Duration;
import java.time.Instant;

/**
 * Something on the node that keeps failing: its last error, how often it failed in a row, and when it may be tried
 * again (1 s after the first failure, doubling to 5 min), as a controller's rate-limited work queue holds a key back.
 */
public record Failure(String message, int attempts, Instant retryAt) {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    /** The failure after this one, at {@code now}. */
    static Failure after(Failure previous, String message, Instant now) {
        int attempts = previous == null ? 1 : previous.attempts + 1;
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        return new Failure(message, attempts, now.plus(delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay));
    }

    boolean due(Instant now) {
        return !retryAt.isAfter(now);
    }
}
