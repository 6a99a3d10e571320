package dev.berth.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile at a time. Triggers that arrive while one runs are coalesced into a single next run, whose kind is
 * the strongest asked for (a sync beats a poll, which beats a resync), so a burst of webhooks costs one fetch.
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
        void run(Kind kind, String reason);
    }

    private record Request(Kind kind, String reason) {}

    private final Work work;
    private final AtomicReference<Request> next = new AtomicReference<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "berth-reconcile"));

    public ReconcileLoop(Work work) {
        this.work = work;
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
        try {
            work.run(request.kind(), request.reason());
        } catch (RuntimeException e) { // the loop outlives any one reconcile
            LOG.error("reconcile ({}) failed: {}", request.reason(), e.getMessage(), e);
        }
    }

    /** Lets the reconcile under way finish its current step, then stops; pods keep running. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.MINUTES);
    }
}
