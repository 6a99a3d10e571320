package dev.berth.sync;

import dev.berth.core.BerthException;
import dev.berth.store.AtomicFiles;
import dev.berth.store.JsonFiles;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/** The applies a node has done ({@code <root>/history.jsonl}), newest last, the last {@value #KEEP} kept. */
public final class History {

    static final int KEEP = 100;
    private static final ObjectWriter LINE = JsonFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public History(StateLayout layout) {
        this.file = layout.root().resolve("history.jsonl");
    }

    public void append(HistoryEntry entry) {
        List<HistoryEntry> all = new ArrayList<>(list());
        all.add(entry);
        StringBuilder text = new StringBuilder();
        for (HistoryEntry e : all.subList(Math.max(0, all.size() - KEEP), all.size())) {
            text.append(LINE.writeValueAsString(e)).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public List<HistoryEntry> list() {
        try {
            List<HistoryEntry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    entries.add(JsonFiles.JSON.readValue(line, HistoryEntry.class));
                }
            }
            return entries;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new BerthException(file + ": corrupt history (" + e.getMessage() + ")", e);
        }
    }
}
