package dev.berth.node.workload;

/** A pod's phase, as Kubernetes names it. */
public enum PodPhase {
    /** Admitted or waiting for capacity; not every container has started yet. */
    PENDING("Pending"),
    RUNNING("Running"),
    /** Every container exited 0 and none will be restarted. */
    SUCCEEDED("Succeeded"),
    /** Every container has exited, at least one with a failure, and none will be restarted. */
    FAILED("Failed");

    private final String display;

    PodPhase(String display) {
        this.display = display;
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }

    @Override
    public String toString() {
        return display;
    }
}
