package dev.berth.cli;

import dev.berth.runtime.LogLine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Copies containers' CRI log files to the terminal as they grow, like {@code docker run} does: stdout lines to
 * stdout, stderr lines to stderr, each prefixed with its container's name when there are several.
 */
final class LogStreamer {

    private final Map<String, Path> logs;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    /** Containers whose last printed piece was a partial line: the next piece continues it, unprefixed. */
    private final Set<String> midLine = new HashSet<>();
    private final boolean prefix;

    LogStreamer(Map<String, Path> logsByContainer) {
        this.logs = logsByContainer;
        this.prefix = logsByContainer.size() > 1;
        logsByContainer.keySet().forEach(name -> offsets.put(name, 0L));
    }

    /** Prints whatever was added since the last call; returns whether anything was. */
    synchronized boolean pump() {
        boolean any = false;
        for (Map.Entry<String, Path> e : logs.entrySet()) {
            any |= pump(e.getKey(), e.getValue());
        }
        return any;
    }

    private boolean pump(String name, Path log) {
        if (!Files.isRegularFile(log)) {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long offset = offsets.get(name);
            if (file.length() < offset) {
                offset = 0; // conmon truncated the file when it rotated it
            }
            file.seek(offset);
            byte[] rest = new byte[(int) (file.length() - offset)];
            file.readFully(rest);
            int end = lastNewline(rest);
            if (end < 0) {
                return false;
            }
            offsets.put(name, offset + end + 1);
            for (String line : new String(rest, 0, end, StandardCharsets.UTF_8).split("\n")) {
                LogLine.parse(line).ifPresent(l -> print(name, l));
            }
            return true;
        } catch (IOException e) {
            return false; // the log may be rotating; the next pump reads on
        }
    }

    private void print(String name, LogLine line) {
        PrintStream out = line.stream().equals("stderr") ? System.err : System.out;
        String text = (prefix && !midLine.contains(name) ? name + " | " : "") + line.content();
        if (line.partial()) {
            out.print(text);
            midLine.add(name);
        } else {
            out.println(text);
            midLine.remove(name);
        }
        out.flush();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
