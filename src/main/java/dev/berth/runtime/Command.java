package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs a program to completion and reaps it; output goes through temp files so no pipe can fill and block it. */
public final class Command {

    public record Result(int exitCode, String stdout, String stderr) {}

    /** How often a program is asked whether its work has begun: runc takes tens of milliseconds to start a process. */
    private static final Duration START_CHECK = Duration.ofMillis(5);

    private Command() {}

    static Result run(List<String> command, Duration timeout) {
        return run(command, null, timeout, () -> { });
    }

    static Result run(List<String> command, Path workDir, Duration timeout) {
        return run(command, workDir, timeout, () -> { });
    }

    /**
     * Runs {@code command} with {@code env} added to the JVM's environment and {@code stdin} as its input (CNI plugins
     * take both); a program past {@code timeout} is killed and reported by throwing.
     */
    public static Result run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        Path input = null;
        try {
            input = Files.createTempFile("berth-cmd", ".in");
            Files.write(input, stdin);
            return run(command, null, input, env, timeout, () -> true, timeout, () -> { });
        } catch (IOException e) {
            throw new BerthException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(input);
        }
    }

    /**
     * @param workDir   the program's working directory; null for the JVM's
     * @param onTimeout runs when the program outlives {@code timeout}, before it is killed: what else must go with it
     */
    static Result run(List<String> command, Path workDir, Duration timeout, Runnable onTimeout) {
        return run(command, workDir, timeout, () -> true, timeout, onTimeout);
    }

    /**
     * As {@link #run(List, Path, Duration, Runnable)}, but {@code timeout} counts from when {@code started} first says
     * the program's real work has begun (asked every few milliseconds until then), and {@code startLimit} bounds the
     * time before that. For {@code runc exec}: the time runc takes to set the process up in the container is not the
     * process's own, as containerd starts an exec's timeout once its process runs.
     */
    static Result run(List<String> command, Duration startLimit, BooleanSupplier started, Duration timeout,
                      Runnable onTimeout) {
        return run(command, null, startLimit, started, timeout, onTimeout);
    }

    private static Result run(List<String> command, Path workDir, Duration startLimit, BooleanSupplier started,
                              Duration timeout, Runnable onTimeout) {
        return run(command, workDir, null, Map.of(), startLimit, started, timeout, onTimeout);
    }

    private static Result run(List<String> command, Path workDir, Path stdin, Map<String, String> env,
                              Duration startLimit, BooleanSupplier started, Duration timeout, Runnable onTimeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("berth-cmd", ".out");
            err = Files.createTempFile("berth-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from((stdin == null ? Path.of("/dev/null") : stdin).toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // runc is Go and lives for milliseconds; with one P it leaves the other CPUs to the starts beside it (20
            // creates and starts, four at once, took ~5% less time here). conmon passes it on to its runc create.
            builder.environment().put("GOMAXPROCS", "1");
            builder.environment().putAll(env);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            String overdue = awaitExit(process, startLimit, started, timeout);
            if (overdue != null) {
                onTimeout.run();
                process.destroyForcibly().waitFor();
                throw new BerthException(command.get(0) + " " + overdue + ": " + command);
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

    /** Null once the program has exited in time, else what it did not do in time. */
    private static String awaitExit(Process process, Duration startLimit, BooleanSupplier started, Duration timeout)
            throws InterruptedException {
        long startBy = System.nanoTime() + startLimit.toNanos();
        while (!started.getAsBoolean()) {
            long left = startBy - System.nanoTime();
            if (left <= 0) {
                return "did not start within " + startLimit;
            }
            if (process.waitFor(Math.min(left, START_CHECK.toNanos()), TimeUnit.NANOSECONDS)) {
                return null;
            }
        }
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? null : "did not finish within " + timeout;
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
