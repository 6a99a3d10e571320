package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ImagePullException;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.RuntimeState;
import io.fabric8.kubernetes.api.model.Container;
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
 * pass, which carries the start on. A failed init container is started again under CrashLoopBackOff as the restart
 * policy says (Init:Error, Init:CrashLoopBackOff), or fails the pod (Never). A failed start is retried after 10 s
 * doubling to 5 min, with the kubelet's reason (ErrImagePull, CreateContainerError) shown meanwhile.
 */
final class PodStarter {

    private static final Logger LOG = LoggerFactory.getLogger(PodStarter.class);

    /** A start mostly waits on conmon and runc, so a few at once fill the machine; more only queue for the CPUs. */
    private static final int PARALLEL = 4;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    /**
     * A start waiting for its init container {@code containerId}, the {@code started}-th of {@code total}: while it
     * runs, or once it failed, until {@code restartAt} (its CrashLoopBackOff), when it is started again.
     */
    private record Initializing(PodStartup startup, String containerId, int started, int total, Instant restartAt) {}

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
     * worker. A failed one is started again when the restart policy says so (Always, OnFailure), at once and then
     * after the CrashLoopBackOff delay, its restarts counted, as the kubelet does; with Never the pod fails. Returns
     * whether work was started; {@link #restartAt} tells when a pass is next due for it.
     */
    boolean carryOn(PodSnapshot pod, Instant now) {
        Initializing init = initializing.get(pod.id());
        String name = name(init.containerId(), pod);
        if (init.restartAt() != null) {
            return !init.restartAt().isAfter(now) && restart(pod, pod.state(), init);
        }
        ContainerStatus status = statusOf(init.containerId());
        if (status != null && status.exitCode() == null && status.status() != RuntimeState.Status.STOPPED) {
            return false; // still running: its exit wakes a pass
        }
        if (status != null && status.exitCode() != null && status.exitCode() == 0) {
            initializing.remove(pod.id());
            return workers.submit(pod.id(), "start of pod " + pod.id(), () -> inSlot(() -> step(pod, init.startup(),
                    init.started())));
        }
        boolean lost = status == null || status.exitCode() == null;
        String message = "init container " + name + " failed with exit code "
                + (lost ? "unknown (it is gone)" : status.exitCode());
        if (lost || !RestartBackoff.shouldRestart(pod.restartPolicy(), status.exitCode())) {
            initializing.remove(pod.id());
            PodState state = lost ? pod.state() : noteExit(pod, init, status);
            return workers.submit(pod.id(), "start of pod " + pod.id(), () -> {
                pods.teardown(pod.record());
                if (lost) {
                    failed(pod, "Init:Error", message); // lost, not failed: started afresh after the retry delay
                } else {
                    PodEvents.warning(pods.podDir(pod.id()), "Failed", message + "; the pod failed (restartPolicy "
                            + pod.restartPolicy() + ")");
                    state.withReason("Init:Error", message).write(pods.podDir(pod.id()));
                }
            });
        }
        PodState state = noteExit(pod, init, status);
        Instant restartAt = state.containers().get(name).restartAt();
        Initializing failed = new Initializing(init.startup(), init.containerId(), init.started(), init.total(),
                restartAt);
        initializing.put(pod.id(), failed);
        boolean due = !restartAt.isAfter(now);
        state = state.withReason(due ? "Init:Error" : "Init:CrashLoopBackOff", message);
        state.write(pods.podDir(pod.id()));
        return due && restart(pod, state, failed);
    }

    /** Null when the container is gone behind berth's back. */
    private ContainerStatus statusOf(String containerId) {
        try {
            return pods.status(containerId);
        } catch (BerthException e) {
            return null;
        }
    }

    /** When the failed init container the pod's start waits for is to start again; null when none is. */
    Instant restartAt(String podId) {
        Initializing init = initializing.get(podId);
        return init == null ? null : init.restartAt();
    }

    /** The pod's state with the init container's exit noted (code, reason, message, backoff). */
    private PodState noteExit(PodSnapshot pod, Initializing init, ContainerStatus status) {
        String name = name(init.containerId(), pod);
        Container c = orEmpty(pod.record().pod().getSpec().getInitContainers()).stream()
                .filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        ContainerRun run = pod.state().containers().getOrDefault(name, ContainerRun.startedAt(status.finishedAt()));
        return pod.state().withContainer(name, PodKeeper.exited(pod, c, status, run, pods.podDir(pod.id())));
    }

    /** Starts the failed init container again on the pod's worker, its restart counted. */
    private boolean restart(PodSnapshot pod, PodState state, Initializing init) {
        String name = name(init.containerId(), pod);
        initializing.put(pod.id(), new Initializing(init.startup(), init.containerId(), init.started(), init.total(),
                null));
        return workers.submit(pod.id(), "restart of init container " + name, () -> inSlot(() -> {
            Path podDir = pods.podDir(pod.id());
            ContainerRun run = state.containers().get(name);
            try {
                init.startup().again();
            } catch (RuntimeException e) {
                initializing.remove(pod.id());
                failed(new PodSnapshot(pod.record(), state, pod.containers()), reason(e, pod), e);
                return;
            }
            state.withContainer(name, new ContainerRun(run.restarts() + 1, Instant.now(), run.lastExitCode(),
                            run.lastFinishedAt(), run.lastReason(), run.lastMessage(), run.backoffSeconds(), null))
                    .withReason("Init:" + (init.started() - 1) + "/" + init.total(), "running init container " + name)
                    .write(podDir);
            PodEvents.normal(podDir, "Started", "Started init container " + name + " (restart " + (run.restarts() + 1)
                    + ")");
        }));
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
            initializing.put(pod.id(), new Initializing(startup, init.get(), initStarted + 1, total, null));
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
