package dev.berth.inspect;

import dev.berth.core.ResourceKey;
import dev.berth.node.ContainerRun;
import dev.berth.node.PodSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One pod as {@code kubectl get pods -o wide} lists it.
 *
 * @param status        why the pod is not plainly running (CrashLoopBackOff, Unschedulable, ...), else its phase
 * @param lastRestartAt when a container last ended before a restart; null when none restarted
 * @param lastExit      the most recent exit of any app container, now or before a restart; null when none exited
 * @param ip            the pod's (primary) address on the pod network; null while it has none
 * @param owner         the object the pod belongs to; null for a pod of its own
 */
public record PodSummary(String id, String namespace, String name, String phase, String status, boolean ready,
                         int readyContainers, int containers, int restarts, Instant lastRestartAt, Instant createdAt,
                         String ip, ResourceKey owner, Exit lastExit) {

    /**
     * How a container's run ended; {@code finishedAt} may be null when the runtime did not say, {@code message} (its
     * termination message) while the node has not read it yet.
     */
    public record Exit(String container, int exitCode, String reason, Instant finishedAt, String message) {}

    public static PodSummary of(PodSnapshot pod) {
        List<ContainerView> views = ContainerView.of(pod).stream().filter(c -> !c.init()).toList();
        Instant lastRestart = pod.state().containers().values().stream()
                .filter(run -> run.restarts() > 0).map(ContainerRun::lastFinishedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        String phase = pod.phase().toString();
        return new PodSummary(pod.id(), pod.record().namespace(), pod.record().name(), phase,
                Objects.requireNonNullElse(pod.reason(), phase), pod.ready(),
                (int) views.stream().filter(ContainerView::ready).count(), views.size(), pod.restarts(), lastRestart,
                pod.record().createdAt(), ip(pod), pod.owner().orElse(null), lastExit(views));
    }

    /** Read from the pod's status, which the record fills from its network's addresses. */
    static String ip(PodSnapshot pod) {
        var status = pod.record().pod().getStatus();
        return status == null ? null : status.getPodIP();
    }

    private static Exit lastExit(List<ContainerView> containers) {
        return containers.stream()
                .flatMap(c -> Stream.of(c.state(), c.lastState()).filter(s -> s != null && s.isTerminated())
                        .map(s -> new Exit(c.name(), s.exitCode(), s.reason(), s.finishedAt(), s.message())))
                .max(Comparator.comparing(Exit::finishedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElse(null);
    }
}
