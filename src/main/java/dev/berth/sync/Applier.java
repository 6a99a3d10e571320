package dev.berth.sync;

import dev.berth.core.Revision;
import dev.berth.node.NodeReconciler;
import dev.berth.node.RecordedState;
import dev.berth.pipeline.PlanPipeline;
import dev.berth.pipeline.PlanRequest;
import dev.berth.plan.Action;
import dev.berth.plan.PlanReport;
import dev.berth.store.StateLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code berth apply}: plan against what the node recorded, refuse invalid or denied input before touching
 * anything, record each action in the plan's order (a run of one kind's side by side), then converge the node. Every
 * step is on disk before the next, so an apply killed at any point is completed by the next one.
 */
public final class Applier {

    /** @param rollback applies an earlier revision and pins the node to it */
    public record Options(boolean waitForHealth, Duration timeout, boolean rollback) {}

    /** How an apply ended; {@code result} is Synced, Failed, Denied, Invalid or Pinned. */
    public record Outcome(PlanReport report, String result, Convergence.Result convergence) {
        public boolean ok() {
            return result.equals("Synced") || result.equals("Pinned");
        }
    }

    private final StateLayout layout;
    private final NodeReconciler reconciler;
    private final Consumer<String> progress;

    public Applier(StateLayout layout, NodeReconciler reconciler, Consumer<String> progress) {
        this.layout = layout;
        this.reconciler = reconciler;
        this.progress = progress;
    }

    public Outcome apply(PlanRequest request, Options options) throws InterruptedException {
        PlanReport report = new PlanPipeline().plan(request);
        SyncState before = SyncState.read(layout).orElse(null);
        if (!report.errors().isEmpty() || report.denied()) {
            String result = report.denied() ? "Denied" : "Invalid";
            record(report, request, before, result, report.denied() ? "denied by policy" : report.errors().get(0).toString(),
                    options);
            return new Outcome(report, result, null);
        }
        Revision revision = report.revision();
        if (!options.rollback() && before != null && revision.sha().equals(before.pinnedOver())) {
            progress.accept("pinned to " + new Revision(before.revision()).abbreviated() + " by a rollback; `berth resume` to follow "
                    + (before.ref() == null ? "the source" : before.ref()) + " again");
            return converge(before, options);
        }
        RecordWriter writer = new RecordWriter(layout);
        writer.writeAll(report.plan().actions(), revision);
        // a rollback pins over the revision it rolls back from, and keeps following the source's ref afterwards
        String pinnedOver = !options.rollback() || before == null ? null
                : before.pinnedOver() != null ? before.pinnedOver() : before.revision();
        String ref = options.rollback() && before != null ? before.ref() : request.ref();
        new SyncState(request.repo(), ref, request.path(), revision.sha(), Instant.now(), "Syncing", null,
                pinnedOver).write(layout);
        Convergence.Result result = new Convergence(layout, reconciler, progress)
                .run(RecordedState.applied(layout, revision), options.waitForHealth(), options.timeout());
        writer.deleteUnclaimedVolumes();
        String outcome = result.ok() ? "Synced" : "Failed";
        record(report, request, SyncState.read(layout).orElseThrow(), outcome, summary(result), options);
        return new Outcome(report, outcome, result);
    }

    /** Converges to what is recorded, without reading the source (pinned node, or a self-heal pass). */
    public Outcome converge(SyncState state, Options options) throws InterruptedException {
        Revision revision = state.revision() == null ? null : new Revision(state.revision());
        Convergence.Result result = new Convergence(layout, reconciler, progress)
                .run(RecordedState.applied(layout, revision), options.waitForHealth(), options.timeout());
        return new Outcome(null, result.ok() ? "Pinned" : "Failed", result);
    }

    private void record(PlanReport report, PlanRequest request, SyncState state, String result, String message,
                        Options options) {
        String sha = report.revision() == null ? null : report.revision().sha();
        int changes = report.plan() == null ? 0 : report.plan().actions().size();
        new History(layout).append(new HistoryEntry(Instant.now(), sha, request.ref(), result, message, changes,
                options.rollback()));
        if (state != null && (result.equals("Synced") || result.equals("Failed"))) {
            new SyncState(state.repo(), state.ref(), state.path(), state.revision(), Instant.now(), result, message,
                    state.pinnedOver()).write(layout);
        } else if (state != null) { // the node stays on what it had; the refusal is shown in status
            new SyncState(state.repo(), state.ref(), state.path(), state.revision(), state.appliedAt(), result, message,
                    state.pinnedOver()).write(layout);
        }
    }

    private static String summary(Convergence.Result result) {
        if (result.ok()) {
            return "converged";
        }
        StringBuilder text = new StringBuilder(result.timedOut() ? "timed out" : "failed");
        result.failures().forEach((key, error) -> text.append("; ").append(key).append(": ").append(error));
        result.unhealthy().forEach((key, health) -> text.append("; ").append(key).append(": ").append(health));
        return text.toString();
    }
}
