package dev.berth.node;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's pod workers, as the kubelet has one per pod: the slow work for a pod (start, restart, stop, removal)
 * runs here, at most one task per pod at a time, so that a pass never waits on it and one pod never holds back
 * another. A task that fails keeps its error as a {@link Failure}, tried again after its backoff; every task that
 * ends wakes the reconciler. Probe rounds run on the same threads.
 */
final class PodWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "berth-pod-worker-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Wakeup wakeup;

    PodWorkers(Wakeup wakeup) {
        this.wakeup = wakeup;
    }

    /**
     * Runs {@code task} for {@code key} (a pod id, or another name for work of its own) unless a task for it runs
     * already. Returns whether it was started.
     */
    boolean submit(String key, String what, Runnable task) {
        if (!busy.add(key)) {
            return false;
        }
        pool.execute(() -> {
            try {
                task.run();
                failures.remove(key);
            } catch (RuntimeException e) {
                Failure failure = failures.compute(key, (k, before) -> Failure.after(before, e.getMessage(), Instant.now()));
                LOG.warn("{} failed (attempt {}, next at {}): {}", what, failure.attempts(), failure.retryAt(), e.getMessage());
                LOG.debug("{} failed", what, e);
            } finally {
                busy.remove(key);
                wakeup.signal(what + " done");
            }
        });
        return true;
    }

    /** Background work of no pod in particular (a probe round): it neither marks a pod busy nor wakes anyone. */
    void execute(Runnable task) {
        pool.execute(task);
    }

    /** The keys whose task runs now: a pass takes this first and leaves those pods alone until it ends. */
    Set<String> busy() {
        return Set.copyOf(busy);
    }

    /** The last failure of {@code key}'s task, while no later task for it succeeded. */
    Optional<Failure> failure(String key) {
        return Optional.ofNullable(failures.get(key));
    }

    /** Whether work for {@code key} may be tried (again): never failed, or its backoff has passed. */
    boolean due(String key, Instant now) {
        Failure failure = failures.get(key);
        return failure == null || failure.due(now);
    }

    /** Records a failure of work on {@code key} done outside a worker (the pass's own look at a pod). */
    Failure fail(String key, String message, Instant now) {
        return failures.compute(key, (k, before) -> Failure.after(before, message, now));
    }

    /** Forgets the failures of keys that no longer exist. */
    void retainFailures(Set<String> keys) {
        failures.keySet().retainAll(keys);
    }

    /**
     * Lets the tasks under way finish their step (each is bounded: runtime commands and registry reads have deadlines),
     * for up to {@link #CLOSE_WAIT}; what is left then is interrupted and finished by the next pass, as after a crash.
     */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("pod work still running after {} s: {}", CLOSE_WAIT.toSeconds(), busy);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
