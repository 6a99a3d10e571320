package dev.berth.node.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A Deployment's pods, split by template (current or old) and by state: running or starting, terminating, or
 * finished. Finished pods hold nothing and count for nothing; terminating ones still hold their resources.
 */
final class DeploymentPods {

    static final String HASH_LABEL = "pod-template-hash";

    /** Which pods go first on scale-down, roughly as Kubernetes ranks them: not ready, restarting, newest. */
    static final Comparator<PodView> SCALE_DOWN_ORDER = Comparator.comparing(PodView::ready)
            .thenComparing(Comparator.comparingInt(PodView::restarts).reversed())
            .thenComparing(Comparator.comparing(PodView::createdAt).reversed());

    private final List<PodView> current = new ArrayList<>();
    private final List<PodView> old = new ArrayList<>();
    private final List<PodView> finished = new ArrayList<>();
    private int terminating;
    private int oldTerminating;

    DeploymentPods(List<PodView> owned, String hash) {
        for (PodView pod : owned) {
            boolean isCurrent = hash.equals(pod.labels().get(HASH_LABEL));
            if (pod.phase().finished()) {
                if (!pod.terminating()) {
                    finished.add(pod);
                }
            } else if (pod.terminating()) {
                terminating++;
                oldTerminating += isCurrent ? 0 : 1;
            } else {
                (isCurrent ? current : old).add(pod);
            }
        }
        current.sort(SCALE_DOWN_ORDER);
        old.sort(SCALE_DOWN_ORDER);
    }

    /** Pods of the current template that are neither terminating nor finished, first to go first. */
    List<PodView> current() {
        return current;
    }

    /** Pods of other templates that are neither terminating nor finished, first to go first. */
    List<PodView> old() {
        return old;
    }

    /** Finished pods not yet being removed. */
    List<PodView> finished() {
        return finished;
    }

    /** Whether any pod of another template is still running or stopping. */
    boolean oldRemain() {
        return !old.isEmpty() || oldTerminating > 0;
    }

    /** Pods holding resources: everything not finished, terminating ones included. */
    int live() {
        return current.size() + old.size() + terminating;
    }

    int currentAvailable(Predicate<PodView> available) {
        return count(current, available);
    }

    int available(Predicate<PodView> available) {
        return count(current, available) + count(old, available);
    }

    static int count(List<PodView> pods, Predicate<PodView> test) {
        return (int) pods.stream().filter(test).count();
    }
}
