package dev.berth.server;

import dev.berth.plan.PlanReport;
import dev.berth.store.AtomicFiles;
import dev.berth.store.JsonFiles;
import dev.berth.store.StateLayout;
import dev.berth.sync.Applier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the daemon knows beyond the state root: suspended or not, the last commit it refused (so a poll does not
 * apply it again and again), the last error, the last plan it computed. Every change is also counted in
 * {@link Metrics}.
 */
public final class WatchStatus {

    private final AtomicBoolean suspended = new AtomicBoolean();
    private final Metrics metrics;
    private final Path suspendFile;
    private volatile Notifier notifier;
    private volatile String refused;
    private volatile String lastError;
    private volatile Instant lastReconcile;
    private volatile ComputedPlan lastPlan;

    /**
     * A plan a sync computed, what became of it ({@code Synced}: applied; {@code Denied}, {@code Invalid},
     * {@code Failed}: not, or not all of it) and when. The page and {@code /api/v1/plan} serve it as it is: a request
     * never fetches or plans.
     */
    record ComputedPlan(PlanReport report, String result, Instant at) {}

    /** Suspended as the state root says: a suspend outlives a restart of the daemon. */
    public WatchStatus(Metrics metrics, StateLayout layout) {
        this.metrics = metrics;
        this.suspendFile = layout.root().resolve("suspended.json");
        suspended.set(JsonFiles.read(suspendFile, Suspended.class).isPresent());
    }

    /** What {@code <root>/suspended.json} holds while the daemon is suspended. */
    record Suspended(Instant since) {}

    /** Where to tell sync results; null for nowhere. */
    public void notifyTo(Notifier notifier) {
        this.notifier = notifier;
    }

    public boolean suspended() {
        return suspended.get();
    }

    /** On disk before it takes effect, so that an acknowledged suspend is never lost. */
    public void suspend(boolean suspend) {
        if (suspend) {
            JsonFiles.write(suspendFile, new Suspended(Instant.now()));
        } else {
            AtomicFiles.delete(suspendFile);
        }
        suspended.set(suspend);
    }

    /** The head commit last refused (invalid, denied, unverifiable); null when the last apply was not refused. */
    public String refused() {
        return refused;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastReconcile() {
        return lastReconcile;
    }

    /** Empty until the first sync that could read the source. */
    Optional<ComputedPlan> lastPlan() {
        return Optional.ofNullable(lastPlan);
    }

    void applied(Applier.Outcome outcome) {
        if (outcome.report() != null && !outcome.report().unavailable()) { // an outage keeps the last plan on show
            lastPlan = new ComputedPlan(outcome.report(), outcome.result(), Instant.now());
        }
        metrics.synced(outcome.result());
        boolean refusal = outcome.result().equals("Invalid") || outcome.result().equals("Denied");
        refused = refusal && outcome.report().revision() != null ? outcome.report().revision().sha() : null;
        lastError = outcome.ok() ? null : outcome.result() + (outcome.report() != null && !outcome.report().errors().isEmpty()
                ? ": " + outcome.report().errors().get(0) : outcome.convergence() != null
                ? ": " + Applier.summary(outcome.convergence()) : "");
        Notifier to = notifier;
        if (to != null && outcome.report() != null && outcome.report().revision() != null) {
            boolean degraded = outcome.convergence() != null && !outcome.convergence().unhealthy().isEmpty();
            to.notify(outcome.ok() ? "synced" : degraded ? "degraded" : "failed", outcome.report().revision().sha(),
                    lastError);
        }
    }

    /** A pass over the node without a new commit; one that fails counts as a Failed sync, as an apply would. */
    void resynced(Applier.Outcome outcome) {
        if (!outcome.ok()) {
            metrics.synced("Failed");
        }
        lastError = outcome.ok() ? null : "resync: " + Applier.summary(outcome.convergence());
    }

    void failed(String reason, String message) {
        lastError = reason + ": " + message;
    }

    void fetched(Duration took) {
        metrics.gitFetch(took);
    }

    void fetchFailed() {
        metrics.gitFetchError();
    }

    void reconciled(Duration took) {
        lastReconcile = Instant.now();
        metrics.reconcile(took);
    }
}
