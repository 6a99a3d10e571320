package dev.berth.node.workload;

/** An object's health, in Argo CD's words. */
public enum Health {
    HEALTHY("Healthy"),
    /** On its way: pods starting, a rollout under way, a Job running. */
    PROGRESSING("Progressing"),
    /** Failed or stuck: a crash loop, a failed Job, a pod that cannot be scheduled. */
    DEGRADED("Degraded"),
    /** Desired but not on the node. */
    MISSING("Missing"),
    /** Deliberately idle: a suspended CronJob or Job. */
    SUSPENDED("Suspended");

    private final String display;

    Health(String display) {
        this.display = display;
    }

    @Override
    public String toString() {
        return display;
    }
}
