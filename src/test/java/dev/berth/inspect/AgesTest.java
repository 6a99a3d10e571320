package dev.berth.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgesTest {

    @Test
    void agesAreKubernetesHumanDurations() {
        Map<Duration, String> cases = new LinkedHashMap<>();
        cases.put(Duration.ofSeconds(-2), "<invalid>");
        cases.put(Duration.ofMillis(-900), "0s");
        cases.put(Duration.ofSeconds(119), "119s");
        cases.put(Duration.ofSeconds(120), "2m");
        cases.put(Duration.ofSeconds(150), "2m30s");
        cases.put(Duration.ofMinutes(10).plusSeconds(59), "10m");
        cases.put(Duration.ofMinutes(179), "179m");
        cases.put(Duration.ofHours(3), "3h");
        cases.put(Duration.ofMinutes(185), "3h5m");
        cases.put(Duration.ofHours(47).plusMinutes(59), "47h");
        cases.put(Duration.ofHours(48), "2d");
        cases.put(Duration.ofHours(50), "2d2h");
        cases.put(Duration.ofDays(400), "400d");
        cases.put(Duration.ofDays(730), "2y");
        cases.put(Duration.ofDays(740), "2y10d");
        cases.put(Duration.ofDays(9 * 365), "9y");
        cases.forEach((d, age) -> assertEquals(age, Ages.human(d), d::toString));
    }

    @Test
    void datesAreRfc1123AsKubectlDescribePrintsThem() {
        assertEquals("Mon, 02 Mar 2026 10:00:00 +0000", Ages.date(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));
        assertEquals("Mon, 02 Mar 2026 11:00:00 +0100",
                Ages.date(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.ofHours(1)));
    }
}
