package dev.berth.node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Deletes a pod gracefully on its worker: marks it terminating first (so a crash mid-way is finished, not undone,
 * on the next pass), SIGTERM to its containers, SIGKILL after {@code terminationGracePeriodSeconds}, then removes
 * it. Several pods' grace periods overlap, as the kubelet's pod workers do, instead of adding up. A removal that
 * fails (a busy mount or cgroup) stays with its pod: it is retried with backoff and nothing else waits for it.
 */
final class PodRemover {

    static final long DEFAULT_GRACE_SECONDS = 30;

    private final PodRuntimePort pods;
    private final PodWorkers workers;
    private final PodStarter starter;
    /** Takes a pod out of the Services' endpoints before its containers are signalled. */
    private final Consumer<String> withdraw;
    /** Pods whose removal runs now: what is seen of them meanwhile (a record whose state is deleted) is no guide. */
    private final Set<String> removing = ConcurrentHashMap.newKeySet();

    PodRemover(PodRuntimePort pods, PodWorkers workers, PodStarter starter, Consumer<String> withdraw) {
        this.pods = pods;
        this.workers = workers;
        this.starter = starter;
        this.withdraw = withdraw;
    }

    /**
     * Marks the pod terminating (unless it is, from an earlier pass) and removes it on its worker, which must be idle.
     * Returns the pod as marked, or empty when its last removal failed and is not due again yet.
     */
    Optional<PodSnapshot> remove(PodSnapshot pod, String why, Instant now) {
        if (!workers.due(pod.id(), now)) {
            return Optional.empty();
        }
        Path podDir = pods.podDir(pod.id());
        PodState terminating = pod.state();
        if (!terminating.terminating()) { // on disk before the worker starts, which may remove the directory at once
            terminating = terminating.markTerminating();
            terminating.write(podDir);
            PodEvents.normal(podDir, "Killing", "Stopping pod: " + why);
        }
        removing.add(pod.id());
        workers.submit(pod.id(), "removal of pod " + pod.id(), () -> {
            try {
                withdraw.accept(pod.id()); // as kube-proxy: a terminating pod takes no new connection
                pods.stopAll(pod.record(), PodKeeper.grace(pod));
                pods.remove(pod.id());
                starter.forget(pod.id());
            } catch (RuntimeException e) {
                PodEvents.warning(podDir, "FailedKillPod", "error killing pod: " + e.getMessage());
                throw e;
            } finally {
                removing.remove(pod.id());
            }
        });
        return Optional.of(new PodSnapshot(pod.record(), terminating, pod.containers()));
    }

    /** Whether the pod's removal runs now. */
    boolean removing(String podId) {
        return removing.contains(podId);
    }
}
