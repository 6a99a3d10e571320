package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a container's CRI-format log file, as conmon writes it (and rewrites it on rotation). */
public final class ContainerLogs {

    private ContainerLogs() {}

    /** Every parseable line, oldest first; none when the file does not exist yet. */
    public static List<LogLine> read(Path logFile) {
        try {
            List<LogLine> lines = new ArrayList<>();
            for (String text : Files.readAllLines(logFile)) {
                LogLine.parse(text).ifPresent(lines::add);
            }
            return lines;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BerthException("cannot read log " + logFile + ": " + e.getMessage(), e);
        }
    }

    /** The last {@code n} whole messages, partial lines joined, as {@code kubectl logs --tail} shows them. */
    public static List<String> tail(Path logFile, int n) {
        List<String> messages = messages(read(logFile));
        return messages.subList(Math.max(0, messages.size() - n), messages.size());
    }

    /** Joins each run of partial ("P") lines with the full ("F") line that ends it, per stream. */
    static List<String> messages(List<LogLine> lines) {
        List<String> messages = new ArrayList<>();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        for (LogLine line : lines) {
            StringBuilder pending = line.stream().equals("stdout") ? stdout : stderr;
            pending.append(line.content());
            if (!line.partial()) {
                messages.add(pending.toString());
                pending.setLength(0);
            }
        }
        return messages;
    }
}
