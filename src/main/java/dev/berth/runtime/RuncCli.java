package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link OciRuntime} over runc's command line; crun's is the same, so it serves both. */
public final class RuncCli implements OciRuntime {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** runc logs errors as {@code time="..." level=error msg="..."}; the msg is what users need. */
    private static final Pattern MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path binary;
    private final Path root;

    /** @param root runc's state directory ({@code --root}), e.g. /run/berth/runc */
    public RuncCli(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    @Override
    public Path binary() {
        return binary;
    }

    @Override
    public List<String> globalArgs() {
        return List.of("--root=" + root);
    }

    @Override
    public void create(String id, Path bundle, Path pidFile) {
        run(id, "create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
    }

    @Override
    public void start(String id) {
        try {
            run(id, "start", id);
        } catch (ContainerException e) {
            if (e.kind() != ContainerException.Kind.NOT_RUNNING) {
                throw e;
            }
            // crun's word for a container that has stopped ("is not running"); runc's "cannot start" one
            throw new ContainerException(ContainerException.Kind.INVALID_TRANSITION, id,
                    "cannot start a container that has stopped");
        }
    }

    @Override
    public RuntimeState state(String id) {
        return parseState(JSON.readTree(run(id, "state", id).stdout()));
    }

    @Override
    public List<RuntimeState> list() {
        Command.Result result = listOnce();
        // runc and crun fail the whole list when a container is deleted while they list (its directory gone after
        // readdir), crun also when one is being created (its directory has no status file yet): a create or delete
        // beside it, e.g. a status request during a reconcile. Asked again a moment later, it lists what is there. A
        // prune deletes pods four at a time, so a few tries in a row can each meet another delete.
        for (int again = 0; again < 20 && result.exitCode() != 0 && listRaced(result.stderr()); again++) {
            pause(Duration.ofMillis(25));
            result = listOnce();
        }
        if (result.exitCode() != 0) { // not about one container: no ContainerException, whose kind callers act on
            throw new BerthException(binary.getFileName() + " list failed: " + errorMessage(result.stderr()));
        }
        JsonNode all = JSON.readTree(result.stdout());
        List<RuntimeState> states = new ArrayList<>();
        if (all != null && all.isArray()) { // runc prints "null" when there is none
            for (JsonNode state : all) {
                states.add(parseState(state));
            }
        }
        return states;
    }

    /** Whether a failed list met a container coming or going: runc says "no such file", crun "No such file". */
    static boolean listRaced(String stderr) {
        return stderr.toLowerCase(Locale.ROOT).contains("no such file or directory");
    }

    private Command.Result listOnce() {
        return Command.run(List.of(binary.toString(), "--root", root.toString(), "list", "--format", "json"), TIMEOUT);
    }

    private static RuntimeState parseState(JsonNode state) {
        return new RuntimeState(state.get("id").asString(), RuntimeState.Status.parse(state.get("status").asString()),
                state.get("pid").asInt(), Path.of(state.get("bundle").asString()));
    }

    @Override
    public void kill(String id, String signal) {
        run(id, "kill", id, signal);
    }

    @Override
    public void delete(String id, boolean force) {
        if (force) {
            run(id, "delete", "--force", id);
        } else {
            run(id, "delete", id);
        }
    }

    /**
     * The timeout counts from when the process runs in the container (runc has written its {@code --pid-file}), not
     * from runc's own start, as containerd times an exec probe: on a busy node runc alone can take a second, and a
     * probe with the default {@code timeoutSeconds: 1} would fail though its command did not. Killing {@code runc exec}
     * at the timeout would leave its process running in the container, so the process itself (its pid from the file)
     * is killed first, as the kubelet's runtime does with a probe past its timeout.
     */
    @Override
    public ExecResult exec(String id, List<String> args, Duration timeout) {
        Path pidFile = Path.of(System.getProperty("java.io.tmpdir"), "berth-exec-" + java.util.UUID.randomUUID() + ".pid");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "exec",
                "--pid-file", pidFile.toString(), id));
        command.addAll(args);
        try {
            Command.Result result = Command.run(command, TIMEOUT, () -> Files.exists(pidFile), timeout,
                    () -> killProcessIn(pidFile));
            return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
        } finally {
            try {
                Files.deleteIfExists(pidFile);
            } catch (java.io.IOException e) {
                // a stale pid file in the temp directory harms nothing
            }
        }
    }

    private static void killProcessIn(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (java.io.IOException | NumberFormatException e) {
            // runc had not started the process yet: killing runc stops it from doing so
        }
    }

    private Command.Result run(String id, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.run(command, TIMEOUT);
        if (result.exitCode() != 0) {
            throw ContainerException.fromRuntime(id, errorMessage(result.stderr()));
        }
        return result;
    }

    static String errorMessage(String stderr) {
        Matcher m = MESSAGE.matcher(stderr);
        String last = null;
        while (m.find()) {
            last = m.group(1).replace("\\\"", "\"");
        }
        return last != null ? last : stderr.strip();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while listing containers");
        }
    }
}
