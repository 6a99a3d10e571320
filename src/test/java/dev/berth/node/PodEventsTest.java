package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodEventsTest {

    @TempDir
    Path podDir;

    @Test
    void keepsTheNewestOnceTheListDoubles() {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        for (int i = 1; i <= 200; i++) {
            PodEvents.append(podDir, new PodEvents.Event(at.plusSeconds(i), "Normal", "R", "" + i));
        }
        assertEquals(200, PodEvents.read(podDir).size());

        PodEvents.append(podDir, new PodEvents.Event(at.plusSeconds(201), "Normal", "R", "201"));
        List<PodEvents.Event> kept = PodEvents.read(podDir);
        assertEquals(100, kept.size());
        assertEquals("102", kept.get(0).message());
        assertEquals("201", kept.get(99).message());
        assertTrue(kept.stream().allMatch(e -> e.reason().equals("R")));
    }
}
