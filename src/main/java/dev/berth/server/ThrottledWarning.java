package dev.berth.server;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A refusal the server makes under load or abuse, logged at most once per interval with how many times it happened in
 * between (a flood must show in the log, but not as one line per connection), and counted for the metrics.
 */
final class ThrottledWarning {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final String reason;
    private final String noun;
    private final String what;
    private final AtomicLong sinceLogged = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong nextAt = new AtomicLong(System.nanoTime());

    /**
     * @param reason the metric's label (e.g. "header_timeout")
     * @param noun   what is refused, singular ("connection", "request")
     * @param what   completes "N connections ..." (e.g. "closed: no complete request within 10 s")
     */
    ThrottledWarning(Logger log, String reason, String noun, String what) {
        this.log = log;
        this.reason = reason;
        this.noun = noun;
        this.what = what;
    }

    void happened(String detail) {
        total.incrementAndGet();
        long count = sinceLogged.incrementAndGet();
        long now = System.nanoTime();
        long due = nextAt.get();
        if (now - due >= 0 && nextAt.compareAndSet(due, now + INTERVAL_NANOS)) {
            sinceLogged.addAndGet(-count);
            log.warn("{} {} {} (the last: {}); at most one such line per 10 s", count,
                    count == 1 ? noun : noun + "s", what, detail);
        }
    }

    String reason() {
        return reason;
    }

    /** How many times it happened since the server started. */
    long total() {
        return total.get();
    }
}
