package dev.berth.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's logins, in memory: random ids that expire, forgotten on logout and when the daemon restarts (log in
 * again then). Only token holders open one, yet a script logging in in a loop must not grow memory without end: past
 * {@link #MOST}, the one closest to expiring goes.
 */
final class Sessions {

    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MOST = 1000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session's id: 256 random bits, URL-safe, fit for a cookie. */
    String open() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !expiry.isAfter(now));
        while (expiries.size() >= MOST) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(id, now.plus(LIFETIME));
        return id;
    }

    boolean valid(String id) {
        Instant expiry = id == null ? null : expiries.get(id);
        return expiry != null && expiry.isAfter(clock.instant());
    }

    void close(String id) {
        if (id != null) {
            expiries.remove(id);
        }
    }
}
