package dev.berth.node;

import dev.berth.core.BerthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Deletes a pod gracefully: marks it terminating first (so a crash mid-way is finished, not undone, on the next
 * pass), SIGTERM to its containers, SIGKILL after {@code terminationGracePeriodSeconds}, then removes it.
 */
final class PodRemover {

    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final PodRuntime pods;

    PodRemover(PodRuntime pods) {
        this.pods = pods;
    }

    void remove(PodSnapshot pod, String why) {
        pod.state().markTerminating().write(pods.podDir(pod.id()));
        PodEvents.normal(pods.podDir(pod.id()), "Killing", "Stopping pod: " + why);
        Long grace = pod.record().pod().getSpec().getTerminationGracePeriodSeconds();
        pods.stopAll(pod.record(), Duration.ofSeconds(grace == null ? DEFAULT_GRACE_SECONDS : grace));
        pods.remove(pod.id());
    }

    /**
     * Removes several pods side by side, each as {@link #remove} does, so that their grace periods overlap (as the
     * kubelet's pod workers do) instead of adding up. Returns when all are gone; the first failure is thrown after
     * the others have finished, with the rest suppressed in it.
     */
    void removeAll(List<PodSnapshot> doomed, Function<PodSnapshot, String> why) {
        if (doomed.size() == 1) {
            remove(doomed.get(0), why.apply(doomed.get(0)));
            return;
        }
        Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
        List<Thread> removals = new ArrayList<>();
        for (PodSnapshot pod : doomed) {
            Thread removal = new Thread(() -> {
                try {
                    remove(pod, why.apply(pod));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "berth-remove-" + pod.id());
            removal.start();
            removals.add(removal);
        }
        for (Thread t : removals) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while removing pods");
            }
        }
        RuntimeException first = failures.poll();
        if (first != null) {
            failures.forEach(first::addSuppressed);
            throw first;
        }
    }
}
