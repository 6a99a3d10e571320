package dev.berth.runtime;

import dev.berth.core.BerthException;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Starts conmon, the per-container monitor: it runs {@code runc create}, daemonizes, copies the container's
 * stdout/stderr into a CRI log and writes the exit code when the container ends, so neither needs berth running.
 */
public final class Conmon {

    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final OciRuntime runtime;

    public Conmon(Path binary, OciRuntime runtime) {
        this.binary = binary;
        this.runtime = runtime;
    }

    /** The files conmon reads and writes for one container. */
    public record MonitorFiles(Path bundle, Path pidFile, Path conmonPidFile, Path runtimeLog, Path persistDir,
                        Path exitDir, Path socketDir, Path log, long logSizeMax) {}

    /** Runs conmon and returns once the container is created (its pid file written); throws with runc's error. */
    public void create(String id, MonitorFiles files) {
        try {
            Files.createDirectories(files.persistDir());
            Files.createDirectories(files.exitDir());
            Files.createDirectories(files.socketDir());
            Files.createDirectories(files.log().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new BerthException("cannot prepare conmon's directories for " + id + ": " + e.getMessage(), e);
        }
        // watched before conmon runs, so that no file it or runc writes goes unnoticed
        try (DirectoryWatch watch = new DirectoryWatch(watchedDirs(files))) {
            // conmon writes some files (its "oom" marker) into its working directory
            Command.Result result = Command.run(command(id, files), files.persistDir(), CREATE_TIMEOUT);
            if (result.exitCode() != 0) {
                throw new ContainerException(ContainerException.Kind.FAILED, id, "conmon failed: " + result.stderr().strip());
            }
            awaitCreated(id, files, watch);
        }
    }

    private static Path[] watchedDirs(MonitorFiles files) {
        return Stream.of(files.pidFile().toAbsolutePath().getParent(), files.runtimeLog().toAbsolutePath().getParent(),
                files.exitDir().toAbsolutePath()).distinct().toArray(Path[]::new);
    }

    private List<String> command(String id, MonitorFiles files) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--api-version", "1",
                "-c", id, "-u", id, "-n", id, "-r", runtime.binary().toString(),
                "-b", files.bundle().toString(), "-p", files.pidFile().toString(),
                "-P", files.conmonPidFile().toString(), "-l", "k8s-file:" + files.log(),
                "--exit-dir", files.exitDir().toString(), "-0", files.persistDir().toString(),
                "--socket-dir-path", files.socketDir().toString()));
        if (files.logSizeMax() > 0) {
            command.addAll(List.of("--log-size-max", Long.toString(files.logSizeMax())));
        }
        for (String arg : runtime.globalArgs()) {
            command.addAll(List.of("--runtime-arg", arg));
        }
        // the runtime's own log is the only place its create error survives conmon's daemonizing; runc and crun
        // both write it as JSON lines when asked
        command.addAll(List.of("--runtime-arg", "--log=" + files.runtimeLog(), "--runtime-arg", "--log-format=json"));
        return command;
    }

    /**
     * conmon's parent exits before runc create finishes; the pid file (runc renames it into place), or an error in
     * runc's log, tells the end.
     */
    private static void awaitCreated(String id, MonitorFiles files, DirectoryWatch watch) {
        boolean created = watch.await(() -> {
            if (nonEmpty(files.pidFile())) {
                return true;
            }
            Optional<String> failed = loggedError(readOrEmpty(files.runtimeLog()));
            if (failed.isPresent()) {
                throw ContainerException.fromRuntime(id, failed.get());
            }
            if (ExitStatus.read(files.exitDir().resolve(id)).isPresent()) {
                throw new ContainerException(ContainerException.Kind.FAILED, id, "conmon exited before runc created it");
            }
            return false;
        }, CREATE_TIMEOUT);
        if (!created) {
            throw new ContainerException(ContainerException.Kind.FAILED, id, "not created within " + CREATE_TIMEOUT);
        }
    }

    /** The last error in the runtime's JSON log ({@code {"level":"error","msg":...}} lines); a torn line is skipped. */
    static Optional<String> loggedError(String log) {
        String error = null;
        for (String line : log.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    JsonNode entry = JsonFiles.JSON.readTree(line);
                    if ("error".equals(entry.path("level").asString(""))) {
                        error = entry.path("msg").asString("");
                    }
                } catch (JacksonException e) {
                    // still being written
                }
            }
        }
        return Optional.ofNullable(error);
    }

    /**
     * Whether the conmon its pid file names runs, from /proc/PID/stat (a zombie, which ProcessHandle calls alive, is
     * gone); no pid file, or an unreadable one, counts as gone.
     */
    static boolean alive(Path conmonPidFile) {
        try {
            String stat = Files.readString(Path.of("/proc", pid(conmonPidFile), "stat"));
            int afterName = stat.lastIndexOf(')'); // "PID (COMM) STATE ...": COMM may hold spaces and parentheses
            char state = afterName >= 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : 'X';
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the process its pid file names is a conmon of container {@code id} (not a later process with a reused
     * pid); false when conmon never got as far as writing the file.
     */
    static boolean monitors(Path conmonPidFile, String id) {
        try {
            List<String> argv = List.of(Files.readString(Path.of("/proc", pid(conmonPidFile), "cmdline")).split("\0"));
            return argv.contains(id) && argv.get(0).endsWith("conmon");
        } catch (IOException e) {
            return false;
        }
    }

    private static String pid(Path conmonPidFile) throws IOException {
        String pid = Files.readString(conmonPidFile).strip();
        if (!pid.matches("\\d+")) {
            throw new IOException(conmonPidFile + " holds no pid");
        }
        return pid;
    }

    private static boolean nonEmpty(Path file) {
        return !readOrEmpty(file).isBlank();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted", e);
        }
    }
}
