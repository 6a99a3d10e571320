package dev.berth.server;

import dev.berth.core.BerthException;
import dev.berth.core.Revision;
import dev.berth.git.GitSource;
import dev.berth.git.SourceSpec;
import dev.berth.node.RecordedState;
import dev.berth.pipeline.PlanRequest;
import dev.berth.server.ReconcileLoop.Kind;
import dev.berth.store.StateLayout;
import dev.berth.sync.Applier;
import dev.berth.sync.SyncState;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code berth watch} does on each trigger: a poll asks git for the head with one ls-remote and applies only
 * when it moved past what is applied (or refused); a sync applies at once; a resync passes over the node to what is
 * applied, without reading git: drift, restarts, probes, schedules. Nothing here stops a pod that runs: a source that
 * cannot be read or an invalid commit leaves the node on its last good revision. Suspended, it applies nothing new,
 * while the node goes on running what is applied, as a kubelet does.
 */
public final class WatchDaemon implements ReconcileLoop.Work {

    private static final Logger LOG = LoggerFactory.getLogger(WatchDaemon.class);

    private final StateLayout layout;
    private final Applier applier;
    private final PlanRequest request;
    private final Duration timeout;
    private final WatchStatus status;
    private final CronTriggers cronTriggers;

    public WatchDaemon(StateLayout layout, Applier applier, PlanRequest request, Duration timeout, WatchStatus status,
                       CronTriggers cronTriggers) {
        this.layout = layout;
        this.applier = applier;
        this.request = request;
        this.timeout = timeout;
        this.status = status;
        this.cronTriggers = cronTriggers;
    }

    @Override
    public ReconcileLoop.Result run(Set<Kind> kinds, String reason) {
        long start = System.nanoTime();
        Applier.Outcome outcome = null;
        try {
            boolean git = kinds.contains(Kind.SYNC) || kinds.contains(Kind.POLL);
            if (git && status.suspended()) {
                LOG.info("suspended: skipping {} ({})", kinds.contains(Kind.SYNC) ? Kind.SYNC : Kind.POLL, reason);
            } else if (kinds.contains(Kind.SYNC)) {
                outcome = sync(reason);
            } else if (kinds.contains(Kind.POLL)) {
                outcome = poll(reason);
            }
            boolean passed = outcome != null && outcome.convergence() != null;
            if (!passed && kinds.contains(Kind.RESYNC)) {
                outcome = resync(reason);
                passed = outcome != null;
            }
            return new ReconcileLoop.Result(retryAfter(outcome), passed, passed ? outcome.convergence().wakeAt() : null);
        } catch (BerthException e) { // git out of reach, or the node itself failing (each object's failure stays with it)
            status.failed(reason, e.getMessage());
            LOG.warn("{}: {}", reason, e.getMessage());
            // a resync never reads git; a poll after an unfinished sync finds the head still unapplied
            return new ReconcileLoop.Result(kinds.contains(Kind.SYNC) || kinds.contains(Kind.POLL) ? Kind.POLL
                    : Kind.RESYNC, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReconcileLoop.Result.NOTHING;
        } finally {
            status.reconciled(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * A source that could not be read is polled again; pods that could not be converged (a registry out of reach, a
     * pod that cannot be removed) are resynced; an invalid, denied or unverifiable commit is not retried: it will not
     * change.
     */
    private static Kind retryAfter(Applier.Outcome outcome) {
        if (outcome == null) {
            return null;
        }
        return switch (outcome.result()) {
            case "Failed" -> Kind.RESYNC;
            case "Unavailable" -> Kind.POLL;
            default -> null;
        };
    }

    /** @return the apply's outcome, or null when the head has not moved */
    private Applier.Outcome poll(String reason) throws InterruptedException {
        long start = System.nanoTime();
        Optional<String> head;
        try (GitSource git = new GitSource()) {
            head = git.peek(new SourceSpec(request.repo(), request.ref(), request.gitCache(), request.credentials()));
        } catch (BerthException e) {
            status.fetchFailed();
            Applier.Outcome unavailable = applier.unavailable(request, e.getMessage());
            status.applied(unavailable);
            LOG.warn("{}: {}", reason, e.getMessage());
            return unavailable;
        } finally {
            status.fetched(Duration.ofNanos(System.nanoTime() - start));
        }
        SyncState state = SyncState.read(layout).orElse(null);
        String applied = state == null ? null : state.revision();
        boolean wasUnavailable = state != null && "Unavailable".equals(state.result());
        if (head.isPresent() && !wasUnavailable && (head.get().equals(applied) || head.get().equals(status.refused()))) {
            return null; // nothing new: one ls-remote, no fetch, no tree read
        }
        return sync(reason + (head.isPresent() ? " (head " + head.get().substring(0, 12) + ")" : ""));
    }

    private Applier.Outcome sync(String reason) throws InterruptedException {
        LOG.info("syncing: {}", reason);
        Applier.Outcome outcome = applier.apply(request, new Applier.Options(false, timeout, false, true));
        status.applied(outcome);
        if (outcome.convergence() != null) { // applied: its CronJobs are what the schedules follow now
            followSchedules();
        }
        return outcome;
    }

    /** @return the convergence's outcome, or null when nothing was ever applied */
    private Applier.Outcome resync(String reason) throws InterruptedException {
        Optional<SyncState> state = SyncState.read(layout);
        if (state.isEmpty() || state.get().revision() == null) {
            return null;
        }
        LOG.debug("node pass: {}", reason);
        if (!cronTriggers.following()) { // a daemon started while suspended has applied nothing yet
            followSchedules();
        }
        Applier.Outcome outcome = applier.converge(state.get(), new Applier.Options(false, timeout, false, true));
        status.resynced(outcome);
        return outcome;
    }

    private void followSchedules() {
        String revision = SyncState.read(layout).map(SyncState::revision).orElse(null);
        cronTriggers.follow(RecordedState.applied(layout, revision == null ? null : new Revision(revision)));
    }
}
