package dev.berth.server;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile at a time. Triggers that arrive while one runs are coalesced into a single next run, which is told
 * every kind asked for (a sync beats a poll, which beats a resync; the node's own wake-ups are resyncs), so a burst of
 * webhooks costs one fetch and a node wake-up is never lost in a poll. A reconcile that could not finish (git or a
 * registry out of reach) is tried again sooner than the next poll: after the first retry delay, doubling up to the
 * longest; one that finishes resets the delay. After each pass over the node, the next one is set for when the node
 * says something falls due (a restart's backoff, a retry, a deadline, a rollout step).
 */
public final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    /** What a run should do, weakest first. */
    public enum Kind {
        /** A pass over the node to what is applied (self-heal, restarts, probes, schedules); no git. */
        RESYNC,
        /** ls-remote; fetch and apply only when the head moved. */
        POLL,
        /** Fetch and apply now (webhook, API). */
        SYNC
    }

    /**
     * How a run ended.
     *
     * @param retry      what to try again because the run could not finish; null when it did, or trying cannot help
     * @param nodePassed the run passed over the node, so {@code wakeAt} replaces the wake-up set before
     * @param wakeAt     when the node next has something due by the clock; null when nothing is
     */
    public record Result(Kind retry, boolean nodePassed, Instant wakeAt) {
        public static final Result NOTHING = new Result(null, false, null);
    }

    /** Does one reconcile; must not throw. */
    public interface Work {
        /** @param kinds every kind asked for since the last run; {@code reason} is the strongest one's */
        Result run(Set<Kind> kinds, String reason);
    }

    private record Request(Set<Kind> kinds, Kind strongest, String reason) {

        Request with(Kind kind, String why) {
            EnumSet<Kind> all = EnumSet.copyOf(kinds);
            all.add(kind);
            boolean stronger = kind.compareTo(strongest) >= 0;
            return new Request(all, stronger ? kind : strongest, stronger ? why : reason);
        }
    }

    private final Work work;
    private final AtomicReference<Request> next = new AtomicReference<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "berth-reconcile"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-retry");
        t.setDaemon(true);
        return t;
    });
    private final Duration firstRetry;
    private final Duration longestRetry;
    private Duration nextRetry; // only touched on the reconcile thread, as are pendingRetry and pendingWake
    private ScheduledFuture<?> pendingRetry;
    private ScheduledFuture<?> pendingWake;
    /** The kind of the retry scheduled and not yet triggered; null when there is none. */
    private final AtomicReference<Kind> pendingRetryKind = new AtomicReference<>();

    public ReconcileLoop(Work work, Duration firstRetry, Duration longestRetry) {
        this.work = work;
        this.firstRetry = firstRetry;
        this.longestRetry = longestRetry;
        this.nextRetry = firstRetry;
    }

    public void trigger(Kind kind, String reason) {
        Request previous = next.getAndUpdate(old -> old == null ? new Request(EnumSet.of(kind), kind, reason)
                : old.with(kind, reason));
        if (previous == null) {
            try {
                thread.execute(this::runNext);
            } catch (RejectedExecutionException e) {
                LOG.debug("closing: {} not run", reason);
            }
        }
    }

    /** Runs {@code task} on the reconcile thread, between reconciles (image garbage collection). */
    public void exclusive(String name, Runnable task) {
        thread.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", name, e.getMessage(), e);
            }
        });
    }

    private void runNext() {
        Request request = next.getAndSet(null);
        if (request == null) {
            return;
        }
        Result result;
        try {
            result = work.run(request.kinds(), request.reason());
        } catch (RuntimeException e) { // the loop outlives any one reconcile
            LOG.error("reconcile ({}) failed: {}", request.reason(), e.getMessage(), e);
            result = new Result(request.strongest(), false, null);
        }
        if (result.nodePassed()) {
            wakeAt(result.wakeAt());
        }
        if (result.retry() == null) {
            nextRetry = firstRetry;
            return;
        }
        retry(result.retry());
    }

    /** Sets the node's next pass for {@code at}, in place of the one set before; none when {@code at} is null. */
    private void wakeAt(Instant at) {
        if (pendingWake != null) {
            pendingWake.cancel(false);
            pendingWake = null;
        }
        if (at != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
            try {
                pendingWake = timers.schedule(() -> trigger(Kind.RESYNC, "due at " + at), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("closing: no wake-up");
            }
        }
    }

    private void retry(Kind kind) {
        Kind pending = pendingRetryKind.get();
        if (pending != null) {
            if (pending.compareTo(kind) >= 0) {
                return; // one retry at a time: polls and webhooks failing meanwhile wait for it, or chains would multiply
            }
            pendingRetry.cancel(false); // asked for less than this failure needs
        }
        Duration delay = nextRetry;
        nextRetry = delay.multipliedBy(2).compareTo(longestRetry) < 0 ? delay.multipliedBy(2) : longestRetry;
        LOG.info("trying again in {} s ({})", delay.toMillis() / 1000.0, kind);
        try {
            pendingRetryKind.set(kind);
            pendingRetry = timers.schedule(() -> {
                pendingRetryKind.set(null); // before the run it triggers, which may fail and need a retry of its own
                trigger(kind, "retry after a failure");
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("closing: no retry"); // close() came while this reconcile ran
        }
    }

    /** Lets the reconcile under way finish its current step, then stops; pods keep running. */
    @Override
    public void close() throws InterruptedException {
        timers.shutdownNow();
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.MINUTES);
    }
}
