package dev.berth.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which seccomp filter a container runs under: the field's default profile, none, or a profile file of the node's
 * own (Kubernetes' {@code seccompProfile} types RuntimeDefault, Unconfined and Localhost).
 */
public record SeccompProfile(Type type, Path file) {

    public enum Type { RUNTIME_DEFAULT, UNCONFINED, LOCALHOST }

    public static final SeccompProfile RUNTIME_DEFAULT = new SeccompProfile(Type.RUNTIME_DEFAULT, null);
    public static final SeccompProfile UNCONFINED = new SeccompProfile(Type.UNCONFINED, null);

    public SeccompProfile {
        Objects.requireNonNull(type, "type");
        if ((type == Type.LOCALHOST) != (file != null)) {
            throw new IllegalArgumentException("a file is given for a Localhost profile, and only for it");
        }
    }

    public static SeccompProfile localhost(Path file) {
        return new SeccompProfile(Type.LOCALHOST, file);
    }
}
