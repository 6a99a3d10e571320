package dev.berth.sync;

import dev.berth.core.Problem;
import dev.berth.core.Revision;
import dev.berth.core.SourceLocation;
import dev.berth.node.NodeReconciler;
import dev.berth.node.RecordedState;
import dev.berth.pipeline.PlanPipeline;
import dev.berth.pipeline.PlanRequest;
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

    /**
     * @param rollback applies an earlier revision and pins the node to it
     * @param daemon   a daemon goes on converging the node after this (watch): pods whose start waits on an init
     *                 container are left to it, where a one-shot apply waits for them
     */
    public record Options(boolean waitForHealth, Duration timeout, boolean rollback, boolean daemon) {}

    /** How an apply ended; {@code result} is Synced, Failed, Denied, Invalid, Unavailable or Pinned. */
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
        if (report.unavailable()) {
            return unavailable(request, report.errors().get(0).message());
        }
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
        Convergence.Result result;
        try {
            result = convergence(revision, options);
        } catch (RuntimeException e) { // not one object's failure (each stays with its object): the node's own
            record(report, request, SyncState.read(layout).orElseThrow(), "Failed", "failed: " + e.getMessage(), options);
            throw e;
        }
        writer.deleteUnclaimedVolumes();
        String outcome = result.ok() ? "Synced" : "Failed";
        record(report, request, SyncState.read(layout).orElseThrow(), outcome, summary(result), options);
        return new Outcome(report, outcome, result);
    }

    /**
     * Converges to what is recorded, without reading the source (pinned node, or a self-heal pass). When the last
     * apply failed and this converges, the sync is recorded as Synced after all.
     */
    public Outcome converge(SyncState state, Options options) throws InterruptedException {
        Convergence.Result result = convergence(state.revision() == null ? null : new Revision(state.revision()), options);
        if (result.ok() && "Failed".equals(state.result())) {
            String message = "converged after the failure of the last apply";
            new History(layout).append(new HistoryEntry(Instant.now(), state.revision(), state.ref(), "Synced", message,
                    0, false));
            new SyncState(state.repo(), state.ref(), state.path(), state.revision(), state.appliedAt(), "Synced", message,
                    state.pinnedOver()).write(layout);
        }
        return new Outcome(null, result.ok() ? "Pinned" : "Failed", result);
    }

    /**
     * The source could not be read (out of reach, or no such ref): recorded as Unavailable in the sync state, and in
     * the history once per outage rather than at every retry. Nothing on the node is touched.
     */
    public Outcome unavailable(PlanRequest request, String message) {
        SyncState state = SyncState.read(layout).orElse(null);
        if (state == null || !"Unavailable".equals(state.result())) {
            new History(layout).append(new HistoryEntry(Instant.now(), null, request.ref(), "Unavailable", message, 0,
                    false));
        }
        if (state != null) { // never applied: there is no sync to show as unavailable yet
            new SyncState(state.repo(), state.ref(), state.path(), state.revision(), state.appliedAt(), "Unavailable",
                    message, state.pinnedOver()).write(layout);
        }
        return new Outcome(PlanReport.unavailable(null, "none", new Problem(SourceLocation.of(request.repo()), message)),
                "Unavailable", null);
    }

    private Convergence.Result convergence(Revision revision, Options options) throws InterruptedException {
        return new Convergence(layout, reconciler, progress).run(RecordedState.applied(layout, revision),
                options.waitForHealth(), options.timeout(), !options.daemon());
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

    /** How a convergence ended, in a line: what failed or did not become healthy. */
    public static String summary(Convergence.Result result) {
        if (result.ok()) {
            return "converged";
        }
        StringBuilder text = new StringBuilder(result.timedOut() ? "timed out" : "failed");
        result.failures().forEach((key, error) -> text.append("; ").append(key).append(": ").append(error));
        result.unhealthy().forEach((key, health) -> text.append("; ").append(key).append(": ").append(health));
        return text.toString();
    }
}
