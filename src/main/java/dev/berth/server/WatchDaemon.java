package dev.berth.server;

import dev.berth.core.BerthException;
import dev.berth.git.GitSource;
import dev.berth.git.SourceSpec;
import dev.berth.pipeline.PlanRequest;
import dev.berth.store.StateLayout;
import dev.berth.sync.Applier;
import dev.berth.sync.SyncState;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code berth watch} does on each trigger: a poll asks git for the head with one ls-remote and applies only
 * when it moved past what is applied (or refused); a sync applies at once; a resync converges the node to what is
 * applied, healing drift, without reading git. Nothing here stops a pod that runs: a source that cannot be read
 * or an invalid commit leaves the node on its last good revision.
 */
public final class WatchDaemon implements ReconcileLoop.Work {

    private static final Logger LOG = LoggerFactory.getLogger(WatchDaemon.class);

    private final StateLayout layout;
    private final Applier applier;
    private final PlanRequest request;
    private final Duration timeout;
    private final WatchStatus status;

    public WatchDaemon(StateLayout layout, Applier applier, PlanRequest request, Duration timeout, WatchStatus status) {
        this.layout = layout;
        this.applier = applier;
        this.request = request;
        this.timeout = timeout;
        this.status = status;
    }

    @Override
    public Optional<ReconcileLoop.Kind> run(ReconcileLoop.Kind kind, String reason) {
        if (status.suspended()) {
            LOG.info("suspended: skipping {} ({})", kind, reason);
            return Optional.empty();
        }
        long start = System.nanoTime();
        try {
            Applier.Outcome outcome = switch (kind) {
                case RESYNC -> resync();
                case POLL -> poll(reason);
                case SYNC -> sync(reason);
            };
            return retryAfter(outcome);
        } catch (BerthException e) { // unreachable git or registry
            status.failed(reason, e.getMessage());
            LOG.warn("{}: {}", reason, e.getMessage());
            // a resync never reads git; a poll after an unfinished sync finds the head still unapplied
            return Optional.of(kind == ReconcileLoop.Kind.RESYNC ? ReconcileLoop.Kind.RESYNC : ReconcileLoop.Kind.POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            status.reconciled(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * A source that could not be read (nothing resolved) is polled again; pods that could not be converged (a registry
     * out of reach) are resynced; an invalid, denied or unverifiable commit is not retried: it will not change.
     */
    private static Optional<ReconcileLoop.Kind> retryAfter(Applier.Outcome outcome) {
        if (outcome == null) {
            return Optional.empty();
        }
        if (outcome.result().equals("Failed")) {
            return Optional.of(ReconcileLoop.Kind.RESYNC);
        }
        boolean unread = outcome.result().equals("Invalid") && outcome.report() != null && outcome.report().revision() == null;
        return unread ? Optional.of(ReconcileLoop.Kind.POLL) : Optional.empty();
    }

    /** @return the apply's outcome, or null when the head has not moved */
    private Applier.Outcome poll(String reason) throws InterruptedException {
        long start = System.nanoTime();
        Optional<String> head;
        try (GitSource git = new GitSource()) {
            head = git.peek(new SourceSpec(request.repo(), request.ref(), request.gitCache(), request.credentials()));
        } catch (BerthException e) {
            status.fetchFailed();
            throw e;
        } finally {
            status.fetched(Duration.ofNanos(System.nanoTime() - start));
        }
        String applied = SyncState.read(layout).map(SyncState::revision).orElse(null);
        if (head.isPresent() && (head.get().equals(applied) || head.get().equals(status.refused()))) {
            return null; // nothing new: one ls-remote, no fetch, no tree read
        }
        return sync(reason + (head.isPresent() ? " (head " + head.get().substring(0, 12) + ")" : ""));
    }

    private Applier.Outcome sync(String reason) throws InterruptedException {
        LOG.info("syncing: {}", reason);
        Applier.Outcome outcome = applier.apply(request, new Applier.Options(false, timeout, false));
        status.applied(outcome);
        return outcome;
    }

    /** @return the convergence's outcome, or null when nothing was ever applied */
    private Applier.Outcome resync() throws InterruptedException {
        Optional<SyncState> state = SyncState.read(layout);
        if (state.isEmpty() || state.get().revision() == null) {
            return null;
        }
        Applier.Outcome outcome = applier.converge(state.get(), new Applier.Options(false, timeout, false));
        status.resynced(outcome);
        return outcome;
    }
}
