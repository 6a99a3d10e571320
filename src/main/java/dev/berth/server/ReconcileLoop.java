package dev.berth.server;

import java.time.Duration;
import java.util.Optional;
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
 * One reconcile at a time. Triggers that arrive while one runs are coalesced into a single next run, whose kind is
 * the strongest asked for (a sync beats a poll, which beats a resync), so a burst of webhooks costs one fetch. A
 * reconcile that could not finish (git or a registry out of reach) is tried again sooner than the next poll: after
 * the first retry delay, doubling up to the longest; one that finishes resets the delay.
 */
public final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    /** What a run should do, weakest first. */
    public enum Kind {
        /** Self-heal pass over what is applied; no git. */
        RESYNC,
        /** ls-remote; fetch and apply only when the head moved. */
        POLL,
        /** Fetch and apply now (webhook, API). */
        SYNC
    }

    /** Does one reconcile of the given kind; must not throw. */
    public interface Work {
        /** @return what to try again when this reconcile could not finish; empty when it did, or when trying cannot help */
        Optional<Kind> run(Kind kind, String reason);
    }

    private record Request(Kind kind, String reason) {}

    private final Work work;
    private final AtomicReference<Request> next = new AtomicReference<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "berth-reconcile"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-retry");
        t.setDaemon(true);
        return t;
    });
    private final Duration firstRetry;
    private final Duration longestRetry;
    private Duration nextRetry; // only touched on the reconcile thread, as is pendingRetry
    private ScheduledFuture<?> pendingRetry;
    /** The kind of the retry scheduled and not yet triggered; null when there is none. */
    private final AtomicReference<Kind> pendingRetryKind = new AtomicReference<>();

    public ReconcileLoop(Work work, Duration firstRetry, Duration longestRetry) {
        this.work = work;
        this.firstRetry = firstRetry;
        this.longestRetry = longestRetry;
        this.nextRetry = firstRetry;
    }

    public void trigger(Kind kind, String reason) {
        Request previous = next.getAndAccumulate(new Request(kind, reason),
                (old, asked) -> old == null || asked.kind().compareTo(old.kind()) >= 0 ? asked : old);
        if (previous == null) {
            thread.execute(this::runNext);
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
        Optional<Kind> retry;
        try {
            retry = work.run(request.kind(), request.reason());
        } catch (RuntimeException e) { // the loop outlives any one reconcile
            LOG.error("reconcile ({}) failed: {}", request.reason(), e.getMessage(), e);
            retry = Optional.of(request.kind());
        }
        if (retry.isEmpty()) {
            nextRetry = firstRetry;
            return;
        }
        Kind kind = retry.get();
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
            pendingRetry = retries.schedule(() -> {
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
        retries.shutdownNow();
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.MINUTES);
    }
}
