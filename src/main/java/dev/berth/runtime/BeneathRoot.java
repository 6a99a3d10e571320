package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A path inside a directory that a container can write to, opened without following any symbolic link
 * (openat2(2) with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}) and bound by its file descriptor, not by its name:
 * a link the container plants, or swaps in between the check and the mount, cannot lead out of the directory. This
 * is how the kubelet mounts a volume's {@code subPath} since CVE-2017-1002101.
 */
public final class BeneathRoot {

    private static final long RESOLVE = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS | Libc.RESOLVE_NO_MAGICLINKS;

    private final Path root;
    private final Mounter mounter;

    public BeneathRoot(Path root, Mounter mounter) {
        this.root = root;
        this.mounter = mounter;
    }

    /**
     * Binds {@code relative} onto {@code target}, which is made as an empty directory or file to match. Missing
     * directories of {@code relative} are made as the kubelet makes them: with the root's mode, setgid included, so
     * that a subPath of an emptyDir is as open as the emptyDir itself (the group then comes with setgid).
     *
     * @throws BerthException naming why when a part of the path is a symbolic link, or leads out of the root
     */
    public void bind(String relative, Path target) {
        int fd = open(relative);
        try {
            Path opened = Path.of("/proc/self/fd/" + fd); // the object itself, whatever its name is by now
            boolean directory = Files.isDirectory(opened);
            Files.createDirectories(target.getParent());
            if (directory && !Files.isDirectory(target)) {
                Files.createDirectory(target);
            } else if (!directory && !Files.exists(target)) {
                Files.createFile(target);
            }
            mounter.bind(opened, target);
        } catch (IOException e) {
            throw new BerthException("cannot prepare " + target + ": " + e.getMessage(), e);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }

    /** An O_PATH descriptor of {@code relative} under the root; missing directories on the way are made. */
    private int open(String relative) {
        int mode = rootMode();
        int rootFd = Libc.INSTANCE.open(root.toString(), Libc.O_PATH | Libc.O_CLOEXEC);
        try {
            List<String> parts = new ArrayList<>(List.of(relative.split("/+")));
            parts.removeIf(p -> p.isEmpty() || p.equals("."));
            String walked = ".";
            for (String part : parts) {
                String next = walked.equals(".") ? part : walked + "/" + part;
                try {
                    Libc.INSTANCE.close(openat2(rootFd, next));
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Libc.ENOENT) {
                        throw refused(relative, e);
                    }
                    int parent = openat2(rootFd, walked);
                    try {
                        Libc.INSTANCE.mkdirat(parent, part, mode);
                    } finally {
                        Libc.INSTANCE.close(parent);
                    }
                    setMode(rootFd, next, mode);
                }
                walked = next;
            }
            return openat2(rootFd, walked);
        } catch (LastErrorException e) {
            throw refused(relative, e);
        } finally {
            Libc.INSTANCE.close(rootFd);
        }
    }

    /** The root's permission bits with setuid, setgid and sticky: what the kubelet gives the directories it makes. */
    private int rootMode() {
        try {
            return (Integer) Files.getAttribute(root, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (IOException e) {
            throw new BerthException("cannot read the mode of " + root + ": " + e.getMessage(), e);
        }
    }

    /** mkdirat's mode is cut by the umask and never sets setgid: chmod the new directory, reached without links. */
    private static void setMode(int rootFd, String made, int mode) {
        int fd = openat2(rootFd, made);
        try {
            Files.setAttribute(Path.of("/proc/self/fd/" + fd), "unix:mode", mode);
        } catch (IOException e) {
            throw new BerthException("cannot set the mode of " + made + ": " + e.getMessage(), e);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }

    private static int openat2(int dirFd, String path) {
        Libc.OpenHow how = new Libc.OpenHow();
        how.flags = Libc.O_PATH | Libc.O_CLOEXEC;
        how.resolve = RESOLVE;
        return Libc.INSTANCE.syscall(new NativeLong(Libc.SYS_OPENAT2), dirFd, path, how, new NativeLong(how.size()))
                .intValue();
    }

    private BerthException refused(String relative, LastErrorException e) {
        String why = switch (e.getErrorCode()) {
            case Libc.ELOOP -> "goes through a symbolic link";
            case Libc.EXDEV -> "leads out of it";
            case Libc.ENOSYS -> "cannot be opened safely: the kernel lacks openat2 (Linux 5.6 or later is needed)";
            default -> "cannot be opened: errno " + e.getErrorCode();
        };
        return new BerthException("\"" + relative + "\" in " + root + " " + why);
    }
}
