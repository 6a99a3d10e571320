package dev.berth.core;

import java.util.List;

/**
 * A filesystem mount described, not performed (containerd's habit): the snapshotter hands these out, the
 * runtime mounts them. E.g. {@code overlay overlay [lowerdir=/a:/b, upperdir=/u, workdir=/w]} or
 * {@code bind /srv/data [rbind, ro]}.
 */
public record Mount(String type, String source, List<String> options) {

    public Mount {
        options = List.copyOf(options);
    }
}
