package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

    @Test
    void startsAtTenSecondsAndDoublesUpToFiveMinutes() {
        RestartBackoff backoff = RestartBackoff.none();
        List<Long> delays = new ArrayList<>();
        Instant start = T0;
        for (int i = 0; i < 7; i++) {
            Instant exit = start.plusSeconds(1); // crashes a second after each start
            backoff = backoff.afterExit(start, exit);
            delays.add(backoff.delay().toSeconds());
            start = backoff.restartAt(exit);
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L), delays);
        assertEquals(7, backoff.restarts());
    }

    @Test
    void tenMinutesOfRunningResetsTheDelay() {
        RestartBackoff twice = RestartBackoff.none().afterExit(T0, T0.plusSeconds(1)).afterExit(T0, T0.plusSeconds(2));
        assertEquals(Duration.ofSeconds(20), twice.delay());
        RestartBackoff reset = twice.afterExit(T0, T0.plus(Duration.ofMinutes(10)));
        assertEquals(Duration.ofSeconds(10), reset.delay());
        assertEquals(3, reset.restarts(), "restarts still count");
    }

    @Test
    void restartPolicies() {
        assertTrue(RestartBackoff.shouldRestart("Always", 0));
        assertTrue(RestartBackoff.shouldRestart("OnFailure", 1));
        assertFalse(RestartBackoff.shouldRestart("OnFailure", 0));
        assertFalse(RestartBackoff.shouldRestart("Never", 137));
    }
}
