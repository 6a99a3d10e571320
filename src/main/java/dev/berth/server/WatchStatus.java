package dev.berth.server;

import dev.berth.sync.Applier;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the daemon knows beyond the state root: suspended or not, the last commit it refused (so a poll does not
 * apply it again and again), the last error. Every change is also counted in {@link Metrics}.
 */
public final class WatchStatus {

    private final AtomicBoolean suspended = new AtomicBoolean();
    private final Metrics metrics;
    private volatile Notifier notifier;
    private volatile String refused;
    private volatile String lastError;
    private volatile Instant lastReconcile;

    public WatchStatus(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Where to tell sync results; null for nowhere. */
    public void notifyTo(Notifier notifier) {
        this.notifier = notifier;
    }

    public boolean suspended() {
        return suspended.get();
    }

    public void suspend(boolean suspend) {
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

    void applied(Applier.Outcome outcome) {
        metrics.synced(outcome.result());
        boolean refusal = outcome.result().equals("Invalid") || outcome.result().equals("Denied");
        refused = refusal && outcome.report().revision() != null ? outcome.report().revision().sha() : null;
        lastError = outcome.ok() ? null : outcome.result() + (outcome.report() != null && !outcome.report().errors().isEmpty()
                ? ": " + outcome.report().errors().get(0) : "");
        Notifier to = notifier;
        if (to != null && outcome.report() != null && outcome.report().revision() != null) {
            boolean degraded = outcome.convergence() != null && !outcome.convergence().unhealthy().isEmpty();
            to.notify(outcome.ok() ? "synced" : degraded ? "degraded" : "failed", outcome.report().revision().sha(),
                    lastError);
        }
    }

    void resynced(Applier.Outcome outcome) {
        lastError = outcome.ok() ? null : "resync: " + outcome.result();
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
