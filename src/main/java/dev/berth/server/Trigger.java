package dev.berth.server;

/**
 * Asks the daemon for a fetch and reconcile now. Called on an HTTP thread: it must return at once (queue or coalesce
 * the request), never run the reconcile itself.
 */
@FunctionalInterface
public interface Trigger {

    /** {@code reason} says who asked and why, e.g. "github: push to refs/heads/main, commit 9fceb02d0ae5". */
    void fire(String reason);
}
