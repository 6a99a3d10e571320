package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {

    @Test
    void parsesACriLine() {
        LogLine line = LogLine.parse("2026-11-29T05:07:30.646024931+00:00 stdout F hello world").orElseThrow();
        assertEquals(OffsetDateTime.parse("2026-11-29T05:07:30.646024931+00:00"), line.time());
        assertEquals("stdout", line.stream());
        assertFalse(line.partial());
        assertEquals("hello world", line.content());
    }

    @Test
    void parsesPartialAndEmptyLines() {
        assertTrue(LogLine.parse("2026-11-29T05:07:30.1+00:00 stderr P abc").orElseThrow().partial());
        assertEquals("", LogLine.parse("2026-11-29T05:07:30.1+00:00 stdout F").orElseThrow().content());
        assertEquals(" two  spaces", LogLine.parse("2026-11-29T05:07:30.1Z stdout F  two  spaces").orElseThrow().content());
    }

    @Test
    void rejectsWhatIsNotCri() {
        assertTrue(LogLine.parse("hello").isEmpty());
        assertTrue(LogLine.parse("notatime stdout F x").isEmpty());
        assertTrue(LogLine.parse("2026-11-29T05:07:30.1Z stdin F x").isEmpty());
        assertTrue(LogLine.parse("2026-11-29T05:07:30.1Z stdout X x").isEmpty());
    }

    @Test
    void tailJoinsPartialLinesPerStream(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, String.join("\n",
                "2026-11-29T05:07:30.1Z stdout F first",
                "2026-11-29T05:07:30.2Z stdout P sec",
                "2026-11-29T05:07:30.3Z stderr F oops",
                "2026-11-29T05:07:30.4Z stdout F ond",
                "garbage after rotation",
                "2026-11-29T05:07:30.5Z stdout F last", ""));
        assertEquals(List.of("oops", "second", "last"), ContainerLogs.tail(log, 3));
        assertEquals(5, ContainerLogs.read(log).size());
        assertEquals(List.of(), ContainerLogs.read(dir.resolve("missing.log")));
    }
}
