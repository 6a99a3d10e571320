package dev.berth.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery ids of the webhooks received lately, so that a forge's redelivery (or its retry after a slow answer)
 * starts no second sync. Bounded in count and in age: an id is forgotten after {@code memory}, or sooner when
 * {@code capacity} newer ones came after it.
 */
final class RecentDeliveries {

    static final int CAPACITY = 4096;
    static final Duration MEMORY = Duration.ofHours(1);

    private final int capacity;
    private final Duration memory;
    private final Clock clock;
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>(); // guarded by this; oldest first

    RecentDeliveries(int capacity, Duration memory, Clock clock) {
        this.capacity = capacity;
        this.memory = memory;
        this.clock = clock;
    }

    static RecentDeliveries standard() {
        return new RecentDeliveries(CAPACITY, MEMORY, Clock.systemUTC());
    }

    /** Whether {@code id} comes for the first time (within memory); remembers it either way. */
    synchronized boolean firstTime(String id) {
        Instant now = clock.instant();
        forgetOlderThan(now.minus(memory));
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, now);
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    synchronized int size() {
        return seen.size();
    }

    private void forgetOlderThan(Instant cutoff) {
        Iterator<Map.Entry<String, Instant>> entries = seen.entrySet().iterator();
        while (entries.hasNext() && entries.next().getValue().isBefore(cutoff)) {
            entries.remove();
        }
    }
}
