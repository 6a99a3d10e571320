package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.RuntimeState;
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

    private static final Duration POLL = Duration.ofMillis(50);

    private final PodRuntime pods;
    private final PodRecord record;
    private final Map<String, String> containers = new LinkedHashMap<>();

    private ForegroundPod(PodRuntime pods, PodRecord record) {
        this.pods = pods;
        this.record = record;
        orEmpty(record.pod().getSpec().getContainers())
                .forEach(c -> containers.put(c.getName(), PodRuntime.containerId(record.id(), c.getName())));
    }

    /** Registers and starts {@code pod}; on failure nothing of it is left. */
    public static ForegroundPod start(PodRuntime pods, Pod pod, ConfigSource config) {
        ForegroundPod started = new ForegroundPod(pods, pods.register(pod));
        try {
            started.run(config);
        } catch (RuntimeException e) {
            try {
                pods.remove(started.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return started;
    }

    private void run(ConfigSource config) {
        PodStartup startup = pods.startup(record, config);
        for (Optional<String> init = startup.next(); init.isPresent(); init = startup.next()) {
            ContainerStatus done = awaitExit(init.get());
            if (done.exitCode() == null || done.exitCode() != 0) {
                pods.teardown(record);
                throw new BerthException("init container " + init.get() + " failed with exit code " + done.exitCode());
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

    private ContainerStatus awaitExit(String containerId) {
        while (true) {
            ContainerStatus status = pods.status(containerId);
            if (status.status() == RuntimeState.Status.STOPPED && status.exitCode() != null) {
                return status;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while waiting for " + containerId);
            }
        }
    }
}
