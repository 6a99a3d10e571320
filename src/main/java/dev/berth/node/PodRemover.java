package dev.berth.node;

import java.time.Duration;

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
}
