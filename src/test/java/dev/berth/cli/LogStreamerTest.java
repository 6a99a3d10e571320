package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStreamerTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void copiesNewLinesByStreamWithNamesWhenThereAreSeveral() throws IOException {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("web", dir.resolve("web.log"));
        logs.put("side", dir.resolve("side.log"));
        LogStreamer streamer = new LogStreamer(logs, true);
        assertFalse(streamer.pump(), "no files yet");

        append(logs.get("web"), "2026-11-29T05:00:00.000000000+00:00 stdout P hel\n");
        append(logs.get("web"), "2026-11-29T05:00:00.100000000+00:00 stdout F lo\n");
        append(logs.get("side"), "2026-11-29T05:00:00.200000000+00:00 stderr F oops\n");
        append(logs.get("side"), "2026-11-29T05:00:00.300000000+00:00 stdout F not yet a whole li");
        assertTrue(streamer.pump());
        assertEquals("web | hello\n", out.toString(StandardCharsets.UTF_8), "a partial line continues unprefixed");
        assertEquals("side | oops\n", err.toString(StandardCharsets.UTF_8));

        append(logs.get("side"), "ne\n");
        streamer.pump();
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("side | not yet a whole line\n"));
    }

    @Test
    void startsOverWhenTheLogWasRotated() throws IOException {
        Path log = dir.resolve("only.log");
        LogStreamer streamer = new LogStreamer(Map.of("only", log), false);
        append(log, "2026-11-29T05:00:00.000000000+00:00 stdout F first line, long enough to be cut\n");
        streamer.pump();
        Files.writeString(log, "2026-11-29T05:00:01.000000000+00:00 stdout F after\n"); // conmon truncates
        streamer.pump();
        assertEquals("first line, long enough to be cut\nafter\n", out.toString(StandardCharsets.UTF_8));
    }
}
