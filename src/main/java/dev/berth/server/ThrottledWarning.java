package dev.berth.server;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning logged at most once per interval, with how many times it happened in between: a flood must show in the
 * log, but not as one line per connection.
 */
final class ThrottledWarning {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final String what;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextAt = new AtomicLong(System.nanoTime());

    /** {@code what} completes "N connections ..." (e.g. "closed: no complete request within 10 s"). */
    ThrottledWarning(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void happened(String detail) {
        long total = count.incrementAndGet();
        long now = System.nanoTime();
        long due = nextAt.get();
        if (now - due >= 0 && nextAt.compareAndSet(due, now + INTERVAL_NANOS)) {
            count.addAndGet(-total);
            log.warn("{} {} {} (the last: {}); at most one such line per 10 s", total,
                    total == 1 ? "connection" : "connections", what, detail);
        }
    }
}
