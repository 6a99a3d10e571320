package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.runtime.ExtraMount;
import dev.berth.runtime.LogLine;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A container's termination message, as the kubelet keeps it: a host file of the pod's, made afresh for each run and
 * bound at the container's {@code terminationMessagePath} (default {@code /dev/termination-log}) writable by any user;
 * read when the container exits, at most its last 4096 bytes. With {@code FallbackToLogsOnError}, a container that
 * failed and wrote nothing there gets the end of its log instead: its last 80 lines, at most 2048 bytes.
 */
final class TerminationMessage {

    static final String DEFAULT_PATH = "/dev/termination-log";
    static final String FALLBACK_TO_LOGS = "FallbackToLogsOnError";
    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;

    private TerminationMessage() {}

    /** A new empty host file for the container's next run, and its bind; the message of the run before is read. */
    static ExtraMount freshMount(Path podDir, Container c) {
        Path file = hostFile(podDir, c.getName());
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            // 0666 as the kubelet makes it: the container's user, whoever it is, writes its message there
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            throw new BerthException("cannot make the termination message file " + file + ": " + e.getMessage(), e);
        }
        return ExtraMount.bind(file.toString(), path(c), false);
    }

    /** The message of the container's run that ended with {@code exitCode}; empty when there is none. */
    static String read(Path podDir, Container c, int exitCode, Path logPath) {
        String written = tail(hostFile(podDir, c.getName()));
        if (written.isEmpty() && exitCode != 0 && FALLBACK_TO_LOGS.equals(c.getTerminationMessagePolicy())) {
            return fromLog(logPath);
        }
        return written;
    }

    static String path(Container c) {
        String path = c.getTerminationMessagePath();
        return path == null || path.isEmpty() ? DEFAULT_PATH : path;
    }

    static Path hostFile(Path podDir, String container) {
        return podDir.resolve("termination").resolve(container);
    }

    /** The file's last {@value #MAX_FILE_BYTES} bytes; empty when it is absent (a run started by an older berth). */
    private static String tail(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            byte[] bytes = new byte[(int) Math.min(length, MAX_FILE_BYTES)];
            in.seek(length - bytes.length);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return "";
        } catch (IOException e) {
            return "Error on reading termination log " + file + ": " + e.getMessage();
        }
    }

    /** The log's last lines as the container wrote them (a partial line without its newline), cut to the byte cap. */
    private static String fromLog(Path logPath) {
        List<String> raw;
        try {
            raw = logPath == null ? List.of() : Files.readAllLines(logPath, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "Error on reading termination message from logs: " + e.getMessage();
        }
        List<LogLine> lines = raw.stream().map(LogLine::parse).flatMap(java.util.Optional::stream).toList();
        StringBuilder text = new StringBuilder();
        for (LogLine line : lines.subList(Math.max(0, lines.size() - MAX_LOG_LINES), lines.size())) {
            text.append(line.content()).append(line.partial() ? "" : "\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - MAX_LOG_BYTES);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }
}
