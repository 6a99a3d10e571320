package dev.berth.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The few libc calls the JDK does not offer: device nodes (overlay whiteouts, FIFOs), extended attributes
 * outside the {@code user.} namespace, and file times set without opening the file. Loaded on first use, so code that
 * never needs them runs anywhere.
 */
final class LinuxCalls {

    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int ENOTSUP = 95;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private interface LibC extends Library {
        int mknod(String path, int mode, long dev) throws LastErrorException;

        int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags) throws LastErrorException;

        int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

        int geteuid();
    }

    /** Holder idiom: libc is loaded when a call is first made, not when the class is. */
    private static final class Loaded {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private LinuxCalls() {}

    static void mknod(Path path, int mode, long device) {
        Loaded.LIBC.mknod(path.toString(), mode, device);
    }

    static void lsetxattr(Path path, String name, byte[] value) {
        Loaded.LIBC.lsetxattr(path.toString(), name, value, new NativeLong(value.length), 0);
    }

    /**
     * Sets access and modification time of the file itself, a symlink included, without opening it. {@code times} is
     * two {@code struct timespec} {seconds, nanoseconds}: two longs each on 64-bit Linux, all that berth runs on.
     */
    static void setTimesNoFollow(Path path, Instant time) {
        long[] times = {time.getEpochSecond(), time.getNano(), time.getEpochSecond(), time.getNano()};
        Loaded.LIBC.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW);
    }

    static boolean isRoot() {
        return Loaded.LIBC.geteuid() == 0;
    }
}
