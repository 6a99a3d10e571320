package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.runtime.LogLine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies containers' CRI log files to the terminal as they grow, like {@code docker run} does: stdout lines to
 * stdout, stderr lines to stderr, each prefixed with its container's name when there are several. In
 * {@code kubectl logs} style both streams go to stdout, optionally after each line's time.
 */
final class LogStreamer {

    private final Map<String, Path> logs;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    /** Containers whose last printed piece was a partial line: the next piece continues it, unprefixed. */
    private final Set<String> midLine = new HashSet<>();
    private final boolean prefix;
    private final boolean kubectl;
    private final boolean timestamps;

    /** docker run style, for run-pod; each line after its container's name if {@code prefix}. */
    LogStreamer(Map<String, Path> logsByContainer, boolean prefix) {
        this(logsByContainer, prefix, false, false);
    }

    private LogStreamer(Map<String, Path> logsByContainer, boolean prefix, boolean kubectl, boolean timestamps) {
        this.logs = logsByContainer;
        this.prefix = prefix;
        this.kubectl = kubectl;
        this.timestamps = timestamps;
        logsByContainer.keySet().forEach(name -> offsets.put(name, 0L));
    }

    /** kubectl logs style, for one container: everything to stdout, each line after its time if asked. */
    static LogStreamer kubectl(String container, Path log, boolean timestamps) {
        return new LogStreamer(Map.of(container, log), false, true, timestamps);
    }

    /**
     * Skips all but the last {@code lines} whole lines already in the container's log, as {@code --tail} does; a
     * line written in pieces counts once.
     */
    synchronized void tail(String container, int lines) {
        Path log = logs.get(container);
        if (!Files.isRegularFile(log)) {
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(log);
        } catch (IOException e) {
            throw new BerthException("cannot read log " + log + ": " + e.getMessage(), e);
        }
        int end = lastNewline(bytes);
        int seen = 0;
        // walk back over the complete lines; the start is just after the line that ends the (lines+1)-th last one
        for (int i = end; i > 0; ) {
            int start = lastNewline(bytes, i - 1) + 1;
            Optional<LogLine> line = LogLine.parse(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            if (line.isPresent() && !line.get().partial() && seen++ == lines) {
                offsets.put(container, (long) i + 1);
                return;
            }
            i = start - 1;
        }
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
        PrintStream out = line.stream().equals("stderr") && !kubectl ? System.err : System.out;
        boolean continued = midLine.contains(name);
        String text = (prefix && !continued ? name + " | " : "")
                + (timestamps && !continued ? rfc3339Nano(line.time()) + " " : "") + line.content();
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
        return lastNewline(bytes, bytes.length - 1);
    }

    /** The last newline at or before {@code from}; -1 when there is none. */
    private static int lastNewline(byte[] bytes, int from) {
        for (int i = from; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Go's RFC3339Nano, as kubectl logs --timestamps prints: UTC, trailing zeros of the fraction dropped. */
    private static String rfc3339Nano(OffsetDateTime time) {
        Instant at = time.toInstant();
        String seconds = at.truncatedTo(ChronoUnit.SECONDS).toString();
        if (at.getNano() == 0) {
            return seconds;
        }
        String fraction = String.format("%09d", at.getNano()).replaceFirst("0+$", "");
        return seconds.substring(0, seconds.length() - 1) + "." + fraction + "Z";
    }
}
