package dev.berth.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The OCI runtime command line (runc, crun): one method per verb; errors are {@link ContainerException}s. */
public interface OciRuntime {

    /** The executable, for monitors (conmon) that run the runtime themselves. */
    Path binary();

    /** Global options every invocation needs, e.g. {@code --root=/run/berth/runc}. */
    List<String> globalArgs();

    void create(String id, Path bundle, Path pidFile);

    void start(String id);

    RuntimeState state(String id);

    /**
     * Every container the runtime knows under its root, in one call ({@code runc list --format json}; crun's
     * is the same): what {@link #state} says of each, for one process instead of one per container. A container
     * whose state the runtime cannot load is left out, as {@code runc list} leaves it out.
     */
    List<RuntimeState> list();

    /** Sends {@code signal} (e.g. "TERM", "KILL") to the container's init process. */
    void kill(String id, String signal);

    void delete(String id, boolean force);

    /** Runs {@code args} inside a running container; for probes. */
    ExecResult exec(String id, List<String> args, Duration timeout);

    record ExecResult(int exitCode, String stdout, String stderr) {}
}
