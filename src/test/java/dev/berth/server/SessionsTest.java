package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's logins: unguessable, ended by logout or by time, and bounded in number. */
class SessionsTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final Sessions sessions = new Sessions(clock);

    @Test
    void aSessionLastsItsLifetimeOrUntilLogout() {
        String kept = sessions.open();
        String closed = sessions.open();
        sessions.close(closed);

        assertNotEquals(kept, closed);
        assertTrue(sessions.valid(kept));
        assertFalse(sessions.valid(closed));
        assertFalse(sessions.valid(null));
        clock.now = clock.now.plus(Sessions.LIFETIME).minusSeconds(1);
        assertTrue(sessions.valid(kept));
        clock.now = clock.now.plusSeconds(1);
        assertFalse(sessions.valid(kept), "expired");
    }

    @Test
    void pastTheMostTheOneClosestToExpiringGoes() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Sessions.MOST; i++) {
            ids.add(sessions.open());
            clock.now = clock.now.plus(Duration.ofSeconds(1));
        }

        String newest = sessions.open();

        assertFalse(sessions.valid(ids.get(0)), "the oldest made room");
        assertTrue(sessions.valid(ids.get(1)));
        assertTrue(sessions.valid(newest));
        assertEquals(Sessions.MOST - 1, ids.stream().filter(sessions::valid).count());
    }
}
