package dev.berth.sync;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
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
 * workload is healthy). An object that fails is retried with exponential backoff, at most {@value #ATTEMPTS} times;
 * it never holds back the others, which each pass converges regardless.
 */
public final class Convergence {

    static final int ATTEMPTS = 4;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** How often to look again while waiting for health with nothing scheduled sooner. */
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);

    /** How it ended: failures are objects that kept failing; unhealthy those not healthy when waiting ended. */
    public record Result(Map<ResourceKey, String> failures, Map<ResourceKey, String> unhealthy, boolean timedOut) {
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

    Result run(DesiredState applied, boolean waitForHealth, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<ResourceKey, Integer> attempts = new HashMap<>();
        Map<ResourceKey, String> gaveUp = new LinkedHashMap<>();
        while (true) {
            NodeReconciler.PassResult pass = reconciler.pass(applied, Instant.now());
            Duration pause = Duration.ZERO;
            for (Map.Entry<ResourceKey, String> f : pass.failures().entrySet()) {
                int n = attempts.merge(f.getKey(), 1, Integer::sum);
                if (n >= ATTEMPTS) {
                    gaveUp.put(f.getKey(), f.getValue());
                } else {
                    progress.accept(f.getKey() + ": " + f.getValue() + " (retrying)");
                    pause = FIRST_RETRY.multipliedBy(1L << (n - 1));
                }
            }
            boolean settled = pass.changes() == 0 && gaveUp.keySet().containsAll(pass.failures().keySet());
            Map<ResourceKey, String> unhealthy = waitForHealth ? unhealthy(applied) : Map.of();
            if (settled && unhealthy.isEmpty()) {
                return new Result(gaveUp, Map.of(), false);
            }
            if (Instant.now().isAfter(deadline)) {
                return new Result(gaveUp, unhealthy(applied), true);
            }
            if (pass.changes() == 0 && pause.isZero()) {
                pause = HEALTH_POLL;
                if (pass.wakeAt() != null) {
                    Duration untilWake = Duration.between(Instant.now(), pass.wakeAt());
                    pause = untilWake.compareTo(pause) < 0 ? untilWake : pause;
                }
            }
            if (!pause.isNegative() && !pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
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
