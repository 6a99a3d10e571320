package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points of this process's mount namespace, from /proc/self/mountinfo. */
public final class MountTable {

    private MountTable() {}

    /** One line of mountinfo: where, and which filesystem type (after the " - " separator). */
    record Entry(Path mountPoint, String fsType) {}

    static List<Entry> read() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new BerthException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    static List<Path> mountPoints() {
        return read().stream().map(Entry::mountPoint).toList();
    }

    /** The fifth field is the mount point (space, tab, newline, backslash octal-escaped); the type follows "-". */
    static List<Entry> parse(String mountinfo) {
        List<Entry> entries = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length > 4 && separator > 4 && separator + 1 < fields.length) {
                entries.add(new Entry(Path.of(unescape(fields[4])), fields[separator + 1]));
            }
        }
        return entries;
    }

    /** Mount points at or below {@code dir}, deepest first so that unmounting them in order never hits EBUSY. */
    public static List<Path> mountPointsUnder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return mountPoints().stream()
                .filter(p -> p.startsWith(root))
                .sorted((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()))
                .toList();
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
