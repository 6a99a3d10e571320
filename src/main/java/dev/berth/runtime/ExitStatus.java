package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** How a container ended, as its monitor (conmon) recorded it: the exit code file, stamped when written. */
public record ExitStatus(int exitCode, Instant finishedAt) {

    /** Reads conmon's exit file (the code as decimal text); empty while the container has not exited. */
    public static Optional<ExitStatus> read(Path exitFile) {
        try {
            String text = Files.readString(exitFile).strip();
            if (text.isEmpty()) {
                return Optional.empty(); // conmon is between creating and writing the file
            }
            return Optional.of(new ExitStatus(Integer.parseInt(text), Files.getLastModifiedTime(exitFile).toInstant()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
