package dev.berth.sync;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.node.Failure;
import dev.berth.node.NodeReconciler;
import dev.berth.node.WorkloadStatus;
import dev.berth.node.workload.Health;
import dev.berth.store.StateLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The second half of a sync: passes of the node reconciler until nothing is left to do (and, when waiting, every
 * workload is healthy). Between passes it sleeps until the reconciler is woken (a container exit, a worker done, a
 * probe verdict) or the next thing falls due. Each object's failure is retried on its own backoff, and given up after
 * {@value #ATTEMPTS} attempts; it never holds back the others, which each pass converges regardless.
 */
public final class Convergence {

    static final int ATTEMPTS = 4;
    /** Looks again this often even without a signal: the node goes on should one be missed. */
    private static final Duration FALLBACK = Duration.ofSeconds(2);

    /**
     * How it ended: failures are objects that kept failing; unhealthy those not healthy (or, at a timeout, not
     * converged) when it ended.
     *
     * @param wakeAt when the node next has something due by the clock (a restart, a retry, a deadline); null if never
     */
    public record Result(Map<ResourceKey, String> failures, Map<ResourceKey, String> unhealthy, boolean timedOut,
                         Instant wakeAt) {
        public boolean ok() {
            return failures.isEmpty() && unhealthy.isEmpty() && !timedOut;
        }
    }

    private final StateLayout layout;
    private final NodeReconciler reconciler;
    private final Consumer<String> progress;

    Convergence(StateLayout layout, NodeReconciler reconciler, Consumer<String> progress) {
        this.layout = layout;
        this.reconciler = reconciler;
        this.progress = progress;
    }

    /**
     * @param untilStarted also wait for pods whose start waits on an init container: a one-shot apply must, as nothing
     *                     carries their start on after it; a daemon leaves them to its next passes
     */
    Result run(DesiredState applied, boolean waitForHealth, Duration timeout, boolean untilStarted)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<ResourceKey, Integer> told = new HashMap<>();
        while (true) {
            NodeReconciler.PassResult pass = reconciler.pass(applied, Instant.now());
            boolean retrying = false;
            for (Map.Entry<ResourceKey, Failure> f : pass.failures().entrySet()) {
                int attempts = f.getValue().attempts();
                retrying |= attempts < ATTEMPTS;
                if (attempts < ATTEMPTS && !Integer.valueOf(attempts).equals(told.put(f.getKey(), attempts))) {
                    progress.accept(f.getKey() + ": " + f.getValue().message() + " (retrying)");
                }
            }
            boolean working = pass.changes() > 0 || pass.working() > 0 || (untilStarted && pass.initializing() > 0);
            if (!working && !retrying) {
                Map<ResourceKey, String> unhealthy = waitForHealth ? unhealthy(applied) : Map.of();
                if (unhealthy.isEmpty()) {
                    return new Result(messages(pass.failures()), Map.of(), false, pass.wakeAt());
                }
            }
            if (!Instant.now().isBefore(deadline)) {
                return new Result(messages(pass.failures()), unhealthy(applied), true, pass.wakeAt());
            }
            Instant until = deadline;
            until = pass.wakeAt() != null && pass.wakeAt().isBefore(until) ? pass.wakeAt() : until;
            Instant fallback = Instant.now().plus(FALLBACK);
            reconciler.wakeup().await(fallback.isBefore(until) ? fallback : until);
        }
    }

    private static Map<ResourceKey, String> messages(Map<ResourceKey, Failure> failures) {
        Map<ResourceKey, String> out = new LinkedHashMap<>();
        failures.forEach((key, failure) -> out.put(key, failure.message()));
        return out;
    }

    /** Workloads not Healthy (or Suspended), with their message. */
    Map<ResourceKey, String> unhealthy(DesiredState applied) {
        Map<ResourceKey, String> out = new LinkedHashMap<>();
        for (Manifest m : applied.manifests()) {
            WorkloadStatus.read(layout, m.key()).ifPresent(s -> {
                if (s.health() != Health.HEALTHY && s.health() != Health.SUSPENDED) {
                    out.put(m.key(), s.health() + (s.message() == null ? "" : ": " + s.message()));
                }
            });
        }
        return out;
    }
}
