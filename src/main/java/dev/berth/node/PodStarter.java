package dev.berth.node;

import dev.berth.image.ImagePullException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts admitted pods, several at once: a start mostly waits on conmon and runc, so a few in parallel fill the
 * machine. A failed start is retried after 10 s doubling to 5 min, with the kubelet's reason (ErrImagePull,
 * CreateContainerError) shown meanwhile.
 */
final class PodStarter implements AutoCloseable {

    private static final int PARALLEL = 4;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final PodRuntime pods;
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "berth-pod-start");
        t.setDaemon(true);
        return t;
    });

    PodStarter(PodRuntime pods) {
        this.pods = pods;
    }

    /** Starts each pod; returns the new state of each by pod id. */
    Map<String, PodState> start(List<PodSnapshot> admitted, ConfigSource config) {
        List<Future<PodState>> started = new ArrayList<>();
        for (PodSnapshot pod : admitted) {
            started.add(workers.submit(() -> start(pod, config)));
        }
        Map<String, PodState> states = new LinkedHashMap<>();
        for (int i = 0; i < admitted.size(); i++) {
            states.put(admitted.get(i).id(), join(started.get(i)));
        }
        return states;
    }

    private PodState start(PodSnapshot pod, ConfigSource config) {
        Path podDir = pods.podDir(pod.id());
        try {
            for (var c : pod.appContainers()) {
                PodEvents.normal(podDir, "Pulling", "Pulling image \"" + c.getImage() + "\"");
            }
            long pullStart = System.nanoTime();
            pods.pullImages(pod.record().pod());
            PodEvents.normal(podDir, "Pulled", "Images present in " + (System.nanoTime() - pullStart) / 1_000_000 + " ms");
            pods.start(pod.record(), config);
        } catch (RuntimeException e) {
            String reason = e instanceof ImagePullException ? "ErrImagePull"
                    : String.valueOf(e.getMessage()).startsWith("CreateContainerError") ? "CreateContainerError" : "StartError";
            Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(pod.state().startFailures(), 5));
            delay = delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
            PodEvents.warning(podDir, "Failed", e.getMessage() + "; retrying in " + delay.toSeconds() + "s");
            PodState failed = pod.state().startFailed(reason, e.getMessage(), Instant.now().plus(delay));
            failed.write(podDir);
            return failed;
        }
        Instant now = Instant.now();
        Map<String, ContainerRun> runs = new LinkedHashMap<>();
        pod.appContainers().forEach(c -> runs.put(c.getName(), ContainerRun.startedAt(now)));
        PodState running = pod.state().startedWith(runs);
        running.write(podDir);
        PodEvents.normal(podDir, "Created", "Created containers " + String.join(", ", runs.keySet()));
        PodEvents.normal(podDir, "Started", "Started containers " + String.join(", ", runs.keySet()));
        return running;
    }

    private static PodState join(Future<PodState> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.berth.core.BerthException("interrupted while starting pods");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new dev.berth.core.BerthException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
