package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/** A pod's events ({@code pods/ID/events.jsonl}), as {@code kubectl describe pod} lists them; the newest are kept. */
public final class PodEvents {

    /** One event: {@code type} is Normal or Warning, {@code reason} a kubelet reason such as Pulled or BackOff. */
    public record Event(Instant at, String type, String reason, String message) {}

    static final String FILE = "events.jsonl";
    private static final int KEEP = 100;
    /** Below this size the file cannot hold 2 * KEEP events (no line is under 64 bytes): no need to count them. */
    private static final long TRIM_CHECK_BYTES = 2 * KEEP * 64;
    private static final ObjectWriter LINE = JsonFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private PodEvents() {}

    static void normal(Path podDir, String reason, String message) {
        append(podDir, new Event(Instant.now(), "Normal", reason, message));
    }

    static void warning(Path podDir, String reason, String message) {
        append(podDir, new Event(Instant.now(), "Warning", reason, message));
    }

    /**
     * Appends without fsync: an event lost in a crash costs nothing; the list is trimmed when it doubles. An event of
     * a pod whose directory is gone (removed meanwhile, by a worker) is dropped: writing it would bring back a pod
     * directory without its record.
     */
    static void append(Path podDir, Event event) {
        Path file = podDir.resolve(FILE);
        try {
            String line = LINE.writeValueAsString(event) + "\n";
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (NoSuchFileException gone) {
                return;
            }
            if (Files.size(file) < TRIM_CHECK_BYTES) {
                return;
            }
            List<Event> all = read(podDir);
            if (all.size() > 2 * KEEP) {
                StringBuilder kept = new StringBuilder();
                for (Event e : all.subList(all.size() - KEEP, all.size())) {
                    kept.append(LINE.writeValueAsString(e)).append('\n');
                }
                Files.writeString(file, kept, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new BerthException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Oldest first; a line cut short by a crash is skipped. */
    public static List<Event> read(Path podDir) {
        List<Event> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(podDir.resolve(FILE), StandardCharsets.UTF_8)) {
                try {
                    events.add(JsonFiles.JSON.readValue(line, Event.class));
                } catch (tools.jackson.core.JacksonException torn) {
                    // the last line of a crash; the rest is intact
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BerthException("cannot read " + podDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        return events;
    }
}
