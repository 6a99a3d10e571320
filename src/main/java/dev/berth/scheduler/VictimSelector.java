package dev.berth.scheduler;

import dev.berth.core.ResourceKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses which running pods a pending pod evicts, the way kube-scheduler does on one node: set aside every pod of
 * lower priority; if the preemptor fits then, give back as many as still leave it room, most important first.
 * So the victims are the least important pods, and none of them could be spared.
 */
final class VictimSelector {

    /** Most important first: higher priority, then the older pod, then the key for a stable order. */
    private static final Comparator<PodRequest> IMPORTANCE = PodRequest.QUEUE_ORDER;

    private VictimSelector() {}

    /**
     * The new victims, least important first; an empty list when pods already being evicted make enough room; an
     * empty optional when even evicting every lower-priority pod would not.
     *
     * @param headroom capacity left now, with the running pods still counted; not changed
     * @param evicting pods already chosen for eviction; their room counts only when they are of lower priority than
     *     this preemptor, since until they are gone the node holds them (as Kubernetes counts terminating pods)
     */
    static Optional<List<PodRequest>> select(PodRequest preemptor, Headroom headroom, List<PodRequest> running,
            Set<ResourceKey> evicting) {
        List<PodRequest> lower = running.stream()
                .filter(p -> p.priority() < preemptor.priority())
                .sorted(IMPORTANCE)
                .toList();
        Headroom trial = headroom.copy();
        lower.forEach(trial::give);
        if (!trial.fits(preemptor)) {
            return Optional.empty();
        }
        List<PodRequest> victims = new ArrayList<>();
        for (PodRequest pod : lower) {
            if (evicting.contains(pod.pod())) {
                continue; // going anyway: sparing it would only cost another pod
            }
            trial.take(pod);
            if (!trial.fits(preemptor)) {
                trial.give(pod);
                victims.add(0, pod);
            }
        }
        return Optional.of(victims);
    }
}
