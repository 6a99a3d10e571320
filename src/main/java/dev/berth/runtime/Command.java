package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion and reaps it; output goes through temp files so no pipe can fill and block it. */
final class Command {

    record Result(int exitCode, String stdout, String stderr) {}

    private Command() {}

    static Result run(List<String> command, Duration timeout) {
        return run(command, null, timeout, () -> { });
    }

    static Result run(List<String> command, Path workDir, Duration timeout) {
        return run(command, workDir, timeout, () -> { });
    }

    /**
     * @param workDir   the program's working directory; null for the JVM's
     * @param onTimeout runs when the program outlives {@code timeout}, before it is killed: what else must go with it
     */
    static Result run(List<String> command, Path workDir, Duration timeout, Runnable onTimeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("berth-cmd", ".out");
            err = Files.createTempFile("berth-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // runc is Go and lives for milliseconds; with one P it leaves the other CPUs to the starts beside it (20
            // creates and starts, four at once, took ~5% less time here). conmon passes it on to its runc create.
            builder.environment().put("GOMAXPROCS", "1");
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                onTimeout.run();
                process.destroyForcibly().waitFor();
                throw new BerthException(command.get(0) + " did not finish within " + timeout + ": " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BerthException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while running " + command.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temp file harms nothing; the command's outcome matters more
            }
        }
    }
}
