package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ImagePullException;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.RuntimeState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts admitted pods on their workers, a container step at a time: images, volumes and namespaces, then each init
 * container in order, then the app containers. While an init container runs nothing waits for it: its exit wakes a
 * pass, which carries the start on. A failed start is retried after 10 s doubling to 5 min, with the kubelet's
 * reason (ErrImagePull, CreateContainerError, Init:Error) shown meanwhile.
 */
final class PodStarter {

    private static final Logger LOG = LoggerFactory.getLogger(PodStarter.class);

    /** A start mostly waits on conmon and runc, so a few at once fill the machine; more only queue for the CPUs. */
    private static final int PARALLEL = 4;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    /** A start waiting for its init container {@code containerId}, the {@code started}-th of {@code total}. */
    private record Initializing(PodStartup startup, String containerId, int started, int total) {}

    private final PodRuntimePort pods;
    private final PodWorkers workers;
    private final Semaphore slots = new Semaphore(PARALLEL);
    private final Map<String, Initializing> initializing = new ConcurrentHashMap<>();

    PodStarter(PodRuntimePort pods, PodWorkers workers) {
        this.pods = pods;
        this.workers = workers;
    }

    /**
     * Starts the admitted pod on its worker. {@code afresh}: an earlier start was cut short (a crash) or failed, so
     * whatever it left is torn down first.
     */
    void start(PodSnapshot pod, ConfigSource config, boolean afresh) {
        initializing.remove(pod.id());
        workers.submit(pod.id(), "start of pod " + pod.id(), () -> inSlot(() -> {
            Path podDir = pods.podDir(pod.id());
            PodStartup startup;
            try {
                if (afresh) {
                    pods.teardown(pod.record());
                }
                for (var c : pod.appContainers()) {
                    PodEvents.normal(podDir, "Pulling", "Pulling image \"" + c.getImage() + "\"");
                }
                long pullStart = System.nanoTime();
                pods.pullImages(pod.record().pod());
                PodEvents.normal(podDir, "Pulled", "Images present in " + (System.nanoTime() - pullStart) / 1_000_000 + " ms");
                startup = pods.startup(pod.record(), config);
            } catch (RuntimeException e) {
                failed(pod, reason(e, pod), e);
                return;
            }
            step(pod, startup, 0);
        }));
    }

    /** Whether the pod's start waits for an init container (in this process: a restart of berth starts it afresh). */
    boolean initializing(String podId) {
        return initializing.containsKey(podId);
    }

    /**
     * Looks at the init container the pod's start waits for: once it succeeded, the start carries on on the pod's
     * worker; if it failed, the start fails. Returns whether work was started.
     */
    boolean carryOn(PodSnapshot pod) {
        Initializing init = initializing.get(pod.id());
        ContainerStatus status;
        try {
            status = pods.status(init.containerId());
        } catch (BerthException e) { // gone behind berth's back
            status = null;
        }
        if (status != null && status.exitCode() == null && status.status() != RuntimeState.Status.STOPPED) {
            return false; // still running: its exit wakes a pass
        }
        initializing.remove(pod.id());
        if (status != null && status.exitCode() != null && status.exitCode() == 0) {
            return workers.submit(pod.id(), "start of pod " + pod.id(), () -> inSlot(() -> step(pod, init.startup(),
                    init.started())));
        }
        String message = "init container " + name(init.containerId(), pod) + " failed with exit code "
                + (status == null ? "unknown (it is gone)" : status.exitCode());
        return workers.submit(pod.id(), "start of pod " + pod.id(), () -> {
            pods.teardown(pod.record());
            failed(pod, "Init:Error", message);
        });
    }

    int initializingCount() {
        return initializing.size();
    }

    /** Drops what is known of a pod's start (it is being removed). */
    void forget(String podId) {
        initializing.remove(podId);
    }

    /** The next container step; the pod's state says how far it got. */
    private void step(PodSnapshot pod, PodStartup startup, int initStarted) {
        Path podDir = pods.podDir(pod.id());
        int total = orEmpty(pod.record().pod().getSpec().getInitContainers()).size();
        Optional<String> init;
        try {
            init = startup.next();
        } catch (RuntimeException e) {
            failed(pod, reason(e, pod), e);
            return;
        }
        if (init.isPresent()) {
            initializing.put(pod.id(), new Initializing(startup, init.get(), initStarted + 1, total));
            pod.state().withReason("Init:" + initStarted + "/" + total, "running init container "
                    + name(init.get(), pod)).write(podDir);
            PodEvents.normal(podDir, "Started", "Started init container " + name(init.get(), pod));
            return;
        }
        Instant now = Instant.now();
        Map<String, ContainerRun> runs = new LinkedHashMap<>();
        pod.appContainers().forEach(c -> runs.put(c.getName(), ContainerRun.startedAt(now)));
        pod.state().startedWith(runs).write(podDir);
        PodEvents.normal(podDir, "Created", "Created containers " + String.join(", ", runs.keySet()));
        PodEvents.normal(podDir, "Started", "Started containers " + String.join(", ", runs.keySet()));
    }

    private void failed(PodSnapshot pod, String reason, RuntimeException e) {
        LOG.debug("start of pod {} failed", pod.id(), e);
        failed(pod, reason, String.valueOf(e.getMessage()));
    }

    private void failed(PodSnapshot pod, String reason, String message) {
        LOG.warn("start of pod {} failed: {}: {}", pod.id(), reason, message);
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(pod.state().startFailures(), 5));
        delay = delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
        Path podDir = pods.podDir(pod.id());
        PodEvents.warning(podDir, "Failed", message + "; retrying in " + delay.toSeconds() + "s");
        pod.state().startFailed(reason, message, Instant.now().plus(delay)).write(podDir);
    }

    /** ErrImagePull at the first failed pull, ImagePullBackOff at the next ones (it waits between them), as the kubelet. */
    private static String reason(RuntimeException e, PodSnapshot pod) {
        if (e instanceof ImagePullException) {
            return pod.state().startFailures() == 0 ? "ErrImagePull" : "ImagePullBackOff";
        }
        return String.valueOf(e.getMessage()).startsWith("CreateContainerError") ? "CreateContainerError" : "StartError";
    }

    private static String name(String containerId, PodSnapshot pod) {
        return containerId.substring(pod.id().length() + 1);
    }

    /** Runs {@code step} once one of the {@value #PARALLEL} start slots is free. */
    private void inSlot(Runnable step) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while waiting to start a pod");
        }
        try {
            step.run();
        } finally {
            slots.release();
        }
    }
}
