package dev.berth.node;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells the node's loop that a pass may have something to do: a container exited, a pod worker finished, a probe
 * changed its verdict. Level-triggered: a signal only says "look again"; the pass finds what changed. Signals that
 * come while no one waits are kept until the next wait.
 */
public final class Wakeup {

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private boolean signalled;

    /** Also tells {@code listener} of every signal, with its reason (the watch daemon turns them into passes). */
    public void onSignal(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void signal(String why) {
        synchronized (this) {
            signalled = true;
            notifyAll();
        }
        listeners.forEach(l -> l.accept(why));
    }

    /** Waits until a signal (one that came since the last wait counts) or {@code until}; returns whether signalled. */
    public synchronized boolean await(Instant until) throws InterruptedException {
        while (!signalled) {
            long millis = Duration.between(Instant.now(), until).toMillis();
            if (millis <= 0) {
                return false;
            }
            wait(millis);
        }
        signalled = false;
        return true;
    }
}
