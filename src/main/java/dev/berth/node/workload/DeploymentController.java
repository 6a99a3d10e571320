package dev.berth.node.workload;

import dev.berth.manifest.Manifest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs a Deployment's pods as Kubernetes' Deployment and ReplicaSet controllers would on one node. Pods carry
 * the {@code pod-template-hash} of the template they were made from; those of the current template are scaled
 * to {@code spec.replicas} and the others removed, either gradually within {@code maxSurge}/{@code maxUnavailable}
 * (RollingUpdate) or all before any new pod starts (Recreate).
 */
public final class DeploymentController implements WorkloadController {

    /** Memo keys: the template being rolled out and when that rollout began, kept until it completes. */
    static final String ROLLOUT_HASH = "rolloutHash";
    static final String ROLLOUT_START = "rolloutStart";

    /** A current pod that has restarted this often and is still not ready is crash-looping. */
    private static final int CRASH_RESTARTS = 3;

    @Override
    public WorkloadDecision decide(Workload workload, List<PodView> owned, Instant now) {
        Manifest manifest = workload.manifest();
        DeploymentSpec spec = ((Deployment) manifest.typed()).getSpec();
        String hash = PodTemplateHash.of(templateTree(manifest));
        DeploymentPods pods = new DeploymentPods(owned, hash);
        int replicas = orDefault(spec.getReplicas(), 1);
        int minReadySeconds = orDefault(spec.getMinReadySeconds(), 0);
        Predicate<PodView> available = pod -> pod.availableAt(now, minReadySeconds);
        String ready = pods.currentAvailable(available) + "/" + replicas + " ready";
        if (Boolean.TRUE.equals(spec.getPaused())) {
            // Kubernetes restarts the progress deadline on resume; dropping the clock here does the same.
            return new WorkloadDecision(List.of(), List.of(), Health.SUSPENDED, "paused, " + ready,
                    withoutRollout(workload.memo()));
        }

        int missing = replicas - pods.current().size();
        List<PodView> excess = pods.current().subList(0, Math.max(0, -missing));
        List<PodView> delete = new ArrayList<>(pods.finished());
        delete.addAll(excess);
        int create;
        if (recreate(spec)) {
            delete.addAll(pods.old());
            create = pods.oldRemain() ? 0 : Math.max(0, missing);
        } else {
            RolloutLimits limits = RolloutLimits.of(rollingUpdate(spec), replicas);
            // Terminating pods still hold their resources, so they count against the surge.
            create = Math.max(0, Math.min(missing, replicas + limits.maxSurge() - pods.live()));
            int stayAvailable = pods.available(available) - DeploymentPods.count(excess, available);
            delete.addAll(oldToDelete(pods.old(), available, stayAvailable - (replicas - limits.maxUnavailable())));
        }

        boolean complete = missing == 0 && pods.currentAvailable(available) == replicas && !pods.oldRemain();
        Map<String, String> memo = complete ? withoutRollout(workload.memo()) : withRollout(workload.memo(), hash, now);
        Optional<PodView> crashing = pods.current().stream()
                .filter(pod -> !pod.ready() && pod.restarts() >= CRASH_RESTARTS)
                .findFirst();
        int deadline = orDefault(spec.getProgressDeadlineSeconds(), 600);
        Health health;
        String message;
        if (complete) {
            health = Health.HEALTHY;
            message = ready;
        } else if (crashing.isPresent()) {
            health = Health.DEGRADED;
            message = ready + ", pod " + crashing.get().name() + " not ready after " + crashing.get().restarts()
                    + " restarts";
        } else if (now.isAfter(Instant.parse(memo.get(ROLLOUT_START)).plusSeconds(deadline))) {
            health = Health.DEGRADED;
            message = ready + ", rollout of " + hash + " exceeded its " + deadline + "s progress deadline";
        } else {
            health = Health.PROGRESSING;
            message = ready + (pods.oldRemain() ? ", rolling out " + hash : missing != 0 ? ", scaling" : "");
        }
        Instant next = complete ? null : nextDecisionAt(pods, minReadySeconds, memo, deadline, now);
        if (next != null) {
            memo.put(JobController.NEXT_DECISION_AT, next.toString());
        } else {
            memo.remove(JobController.NEXT_DECISION_AT);
        }
        return new WorkloadDecision(newPods(manifest, hash, create), delete.stream().map(PodView::id).toList(),
                health, message, memo);
    }

    /**
     * When the clock alone changes the next decision: a ready pod becomes available once minReadySeconds have passed,
     * and the progress deadline runs out; null when neither is ahead.
     */
    private static Instant nextDecisionAt(DeploymentPods pods, int minReadySeconds, Map<String, String> memo,
                                          int deadline, Instant now) {
        Instant next = null;
        List<PodView> running = new ArrayList<>(pods.current());
        running.addAll(pods.old());
        for (PodView pod : running) {
            if (pod.ready() && pod.readySince() != null) {
                Instant available = pod.readySince().plusSeconds(minReadySeconds);
                next = available.isAfter(now) && (next == null || available.isBefore(next)) ? available : next;
            }
        }
        Instant overdue = Instant.parse(memo.get(ROLLOUT_START)).plusSeconds(deadline).plusSeconds(1);
        return overdue.isAfter(now) && (next == null || overdue.isBefore(next)) ? overdue : next;
    }

    /**
     * Old pods that may go now: every one not available (it serves nothing), and available ones while more than
     * {@code spare} others stay available. They go in scale-down order.
     */
    private static List<PodView> oldToDelete(List<PodView> old, Predicate<PodView> available, int spare) {
        List<PodView> delete = new ArrayList<>();
        int left = spare;
        for (PodView pod : old) {
            if (!available.test(pod)) {
                delete.add(pod);
            } else if (left > 0) {
                delete.add(pod);
                left--;
            }
        }
        return delete;
    }

    private static List<Pod> newPods(Manifest manifest, String hash, int count) {
        List<Pod> pods = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // PodFactory keeps the template it is given, so each pod needs its own copy.
            PodTemplateSpec template = ((Deployment) manifest.typed()).getSpec().getTemplate();
            String name = manifest.key().name() + "-" + hash + "-" + PodFactory.suffix();
            pods.add(PodFactory.fromTemplate(manifest.key(), template, name,
                    Map.of(DeploymentPods.HASH_LABEL, hash), Map.of()));
        }
        return pods;
    }

    /** {@code spec.template} as committed: equal templates must hash equally, whatever the typed model adds. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> templateTree(Manifest manifest) {
        Map<String, Object> spec = (Map<String, Object>) manifest.object().get("spec");
        return (Map<String, Object>) spec.get("template");
    }

    private static boolean recreate(DeploymentSpec spec) {
        return spec.getStrategy() != null && "Recreate".equals(spec.getStrategy().getType());
    }

    private static RollingUpdateDeployment rollingUpdate(DeploymentSpec spec) {
        return spec.getStrategy() == null ? null : spec.getStrategy().getRollingUpdate();
    }

    /** Keeps the start of a rollout already under way for this template; a new template starts the clock. */
    private static Map<String, String> withRollout(Map<String, String> previous, String hash, Instant now) {
        Map<String, String> memo = new HashMap<>(previous);
        if (!hash.equals(memo.get(ROLLOUT_HASH))) {
            memo.put(ROLLOUT_HASH, hash);
            memo.put(ROLLOUT_START, now.toString());
        }
        return memo;
    }

    private static Map<String, String> withoutRollout(Map<String, String> previous) {
        Map<String, String> memo = new HashMap<>(previous);
        memo.remove(ROLLOUT_HASH);
        memo.remove(ROLLOUT_START);
        memo.remove(JobController.NEXT_DECISION_AT);
        return memo;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
