package dev.berth.runtime;

import java.util.List;

/** A mount beyond the root filesystem, as an OCI config lists it: {@code bind} (source = host path) or {@code tmpfs}. */
public record ExtraMount(String destination, String type, String source, List<String> options) {

    public ExtraMount {
        if (destination == null || !destination.startsWith("/")) {
            throw new IllegalArgumentException("mount destination must be absolute: " + destination);
        }
        options = List.copyOf(options);
    }

    public static ExtraMount bind(String hostPath, String destination, boolean readonly) {
        return new ExtraMount(destination, "bind", hostPath, readonly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
    }

    public static ExtraMount tmpfs(String destination, List<String> options) {
        return new ExtraMount(destination, "tmpfs", "tmpfs", options);
    }
}
