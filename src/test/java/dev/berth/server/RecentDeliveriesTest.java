package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecentDeliveriesTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void anIdIsRememberedForItsTimeThenForgotten() {
        RecentDeliveries recent = new RecentDeliveries(10, Duration.ofMinutes(60), clock);

        assertTrue(recent.firstTime("a"));
        clock.advance(Duration.ofMinutes(59));
        assertFalse(recent.firstTime("a"));
        clock.advance(Duration.ofMinutes(2));
        assertTrue(recent.firstTime("a"), "an hour later it is new again");
    }

    @Test
    void theOldestIdsMakeRoomBeyondTheCapacity() {
        RecentDeliveries recent = new RecentDeliveries(3, Duration.ofHours(1), clock);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            assertTrue(recent.firstTime(id));
        }

        assertEquals(3, recent.size());
        assertFalse(recent.firstTime("d"));
        assertTrue(recent.firstTime("a"), "the oldest was dropped for the fourth");
    }
}
