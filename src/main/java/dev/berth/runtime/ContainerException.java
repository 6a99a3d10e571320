package dev.berth.runtime;

import dev.berth.core.BerthException;

/** An OCI runtime refused an operation on a container; {@link #kind()} names why, as runc's errors do. */
public class ContainerException extends BerthException {

    public enum Kind { ALREADY_EXISTS, NOT_FOUND, NOT_RUNNING, INVALID_TRANSITION, FAILED }

    private final Kind kind;
    private final String containerId;

    public ContainerException(Kind kind, String containerId, String message) {
        super("container " + containerId + ": " + message);
        this.kind = kind;
        this.containerId = containerId;
    }

    public Kind kind() {
        return kind;
    }

    public String containerId() {
        return containerId;
    }

    /** Classifies runc's (or crun's) error message. */
    static ContainerException fromRuntime(String containerId, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        Kind kind;
        if (m.contains("already exists") || m.contains("with id exists")) {
            kind = Kind.ALREADY_EXISTS;
        } else if (m.contains("does not exist") || m.contains("not found")) {
            kind = Kind.NOT_FOUND;
        } else if (m.contains("not running") || m.contains("process already finished")) {
            kind = Kind.NOT_RUNNING;
        } else if (m.contains("cannot start") || m.contains("not stopped") || m.contains("cannot delete")) {
            kind = Kind.INVALID_TRANSITION;
        } else {
            kind = Kind.FAILED;
        }
        return new ContainerException(kind, containerId, message);
    }
}
