package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One pod run in the foreground, as {@code berth run-pod} runs it, like {@code docker run}: started to the end, its
 * init containers waited for as long as they run (the user stops them), then stopped and removed by its caller. The
 * node's reconciler never waits like this: it starts its pods a step at a time ({@link PodStartup}).
 */
public final class ForegroundPod {

    /** Waits for one of the pod's containers to exit; the caller shows its output meanwhile. */
    @FunctionalInterface
    public interface ExitWaiter {
        ContainerStatus awaitExit(String name, String containerId) throws InterruptedException;
    }

    /** An init container that failed: the pod's app containers never start, and its code is the run's. */
    public static final class InitContainerFailed extends BerthException {
        private final int exitCode;

        InitContainerFailed(String name, ContainerStatus status) {
            super("init container " + name + " failed with exit code " + status.exitCode()
                    + (status.oomKilled() ? " (OOMKilled)" : ""));
            this.exitCode = status.exitCode() == null ? 1 : status.exitCode();
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final PodRuntime pods;
    private final PodRecord record;
    private final Map<String, String> containers = new LinkedHashMap<>();

    private ForegroundPod(PodRuntime pods, PodRecord record) {
        this.pods = pods;
        this.record = record;
        orEmpty(record.pod().getSpec().getContainers())
                .forEach(c -> containers.put(c.getName(), PodRuntime.containerId(record.id(), c.getName())));
    }

    /**
     * Registers and starts {@code pod}, its init containers one after the other, each waited for by {@code inits};
     * on failure nothing of it is left.
     */
    public static ForegroundPod start(PodRuntime pods, Pod pod, ConfigSource config, ExitWaiter inits)
            throws InterruptedException {
        ForegroundPod started = new ForegroundPod(pods, pods.register(pod));
        try {
            started.run(config, inits);
        } catch (RuntimeException | InterruptedException e) {
            try {
                pods.remove(started.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return started;
    }

    private void run(ConfigSource config, ExitWaiter inits) throws InterruptedException {
        Map<String, String> initNames = new LinkedHashMap<>();
        orEmpty(record.pod().getSpec().getInitContainers())
                .forEach(c -> initNames.put(PodRuntime.containerId(record.id(), c.getName()), c.getName()));
        PodStartup startup = pods.startup(record, config);
        for (Optional<String> init = startup.next(); init.isPresent(); init = startup.next()) {
            String name = initNames.get(init.get());
            ContainerStatus done = inits.awaitExit(name, init.get());
            if (done.exitCode() == null || done.exitCode() != 0) {
                pods.teardown(record);
                throw new InitContainerFailed(name, done);
            }
        }
    }

    public String id() {
        return record.id();
    }

    /** The app containers' runtime ids by name. */
    public Map<String, String> containers() {
        return containers;
    }

    /** SIGTERM to every app container that runs, SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        for (String id : containers.values()) {
            try {
                pods.stopContainer(id, grace);
            } catch (ContainerException e) {
                // already gone: nothing to stop
            }
        }
    }

    public void remove() {
        pods.remove(record.id());
    }
}
