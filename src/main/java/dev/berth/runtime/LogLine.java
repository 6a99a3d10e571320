package dev.berth.runtime;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line of a CRI container log: {@code 2026-11-29T05:07:30.646024931+00:00 stdout F hello}. A "P" (partial)
 * line continues in the next line of the same stream; "F" ends a line.
 */
public record LogLine(OffsetDateTime time, String stream, boolean partial, String content) {

    /** Parses one line; empty when it is not in CRI format (e.g. cut by rotation). */
    public static Optional<LogLine> parse(String line) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : line.indexOf(' ', second + 1);
        String tag = third < 0 ? (second < 0 ? "" : line.substring(second + 1)) : line.substring(second + 1, third);
        if (second < 0 || !(tag.equals("F") || tag.equals("P") || tag.startsWith("F:") || tag.startsWith("P:"))) {
            return Optional.empty();
        }
        String stream = line.substring(first + 1, second);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return Optional.empty();
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(line.substring(0, first));
            String content = third < 0 ? "" : line.substring(third + 1);
            return Optional.of(new LogLine(time, stream, tag.startsWith("P"), content));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
