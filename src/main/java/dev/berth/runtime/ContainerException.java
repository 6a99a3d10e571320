package dev.berth.runtime;

import dev.berth.core.BerthException;

/** An OCI runtime refused an operation on a container; {@link #kind()} names why, as runc's errors do. */
public class ContainerException extends BerthException {

    public enum Kind { ALREADY_EXISTS, NOT_FOUND, NOT_RUNNING, INVALID_TRANSITION, FAILED }

    /** crun's word for a container it has no state of: its state file or directory under its root is missing. */
    private static final java.util.regex.Pattern CRUN_NO_STATE = java.util.regex.Pattern.compile(
            "(error opening file|cannot open directory) .*: no such file or directory");

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

    /**
     * Classifies runc's or crun's error message: runc's "container does not exist" is crun's "error opening file
     * `ROOT/ID/status`", runc's "container not running" on kill crun's "No such process".
     */
    static ContainerException fromRuntime(String containerId, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        Kind kind;
        if (m.contains("already exists") || m.contains("with id exists")) {
            kind = Kind.ALREADY_EXISTS;
        } else if (m.contains("does not exist") || m.contains("not found") || CRUN_NO_STATE.matcher(m).find()) {
            kind = Kind.NOT_FOUND;
        } else if (m.contains("not running") || m.contains("process already finished")
                || m.contains("no such process")) {
            kind = Kind.NOT_RUNNING;
        } else if (m.contains("cannot start") || m.contains("not stopped") || m.contains("cannot delete")) {
            kind = Kind.INVALID_TRANSITION;
        } else {
            kind = Kind.FAILED;
        }
        return new ContainerException(kind, containerId, message);
    }
}
