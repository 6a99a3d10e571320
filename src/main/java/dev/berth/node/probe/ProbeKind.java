package dev.berth.node.probe;

/** A container's three kinds of probe, in the order the kubelet gates them: startup before the other two. */
public enum ProbeKind {
    STARTUP("Startup", "startupProbe"),
    LIVENESS("Liveness", "livenessProbe"),
    READINESS("Readiness", "readinessProbe");

    private final String display;
    private final String field;

    ProbeKind(String display, String field) {
        this.display = display;
        this.field = field;
    }

    /** As the kubelet's events say it: "Liveness probe failed: ...". */
    public String display() {
        return display;
    }

    /** The container field that holds the probe, for messages about its spec. */
    public String field() {
        return field;
    }

    /** The standing result before the first run: a container is alive until shown otherwise, but not yet ready. */
    boolean initiallyPassing() {
        return this == LIVENESS;
    }

    /** Failing a startup or liveness probe means the container is to be killed; failing readiness does not. */
    boolean restartsOnFailure() {
        return this != READINESS;
    }
}
