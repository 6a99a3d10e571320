package dev.berth.node;

import java.util.Optional;

/**
 * A pod's start under way, one container step at a time, so that no one waits for an init container: the caller
 * comes back when the init container it was given has exited (successfully), and asks for the next step.
 */
public interface PodStartup {

    /**
     * Creates and starts the next init container and returns its id; once every init container has run, creates and
     * starts the app containers and returns empty. On failure whatever was made for the pod is torn down again.
     */
    Optional<String> next();

    /**
     * Creates and starts the init container {@link #next} last started again, afresh (it failed and the pod's restart
     * policy restarts it, as the kubelet does), and returns its id; its previous log is kept. On failure whatever was
     * made for the pod is torn down again.
     */
    String again();
}
