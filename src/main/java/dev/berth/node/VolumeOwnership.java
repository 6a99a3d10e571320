package dev.berth.node;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A pod's {@code fsGroup} on a volume, as the kubelet sets it: the group owns the volume and may use it, and new
 * files inherit the group (setgid on directories). Links are never followed.
 */
final class VolumeOwnership {

    /** Group read and write, and setgid: what the kubelet adds to a writable volume's directory. */
    static final int WRITABLE_DIRECTORY = 02070;
    /** Group read: what it adds to a read-only volume's files. */
    static final int READ_ONLY_FILE = 0440;

    private VolumeOwnership() {}

    /** Gives {@code path} to group {@code gid} and adds {@code modeBits} to its mode. */
    static void apply(Path path, long gid, int modeBits) {
        try {
            Files.setAttribute(path, "unix:gid", Math.toIntExact(gid), LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:mode", (mode & 07777) | modeBits, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new BerthException("cannot give " + path + " to fsGroup " + gid + ": " + e.getMessage(), e);
        }
    }
}
