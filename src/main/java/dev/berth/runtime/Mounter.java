package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.berth.core.BerthException;
import dev.berth.core.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Performs the mounts the snapshotter describes, and undoes them, with mount(2)/umount2(2). */
public final class Mounter {

    private static final Map<String, Integer> FLAGS = Map.of("ro", Libc.MS_RDONLY, "nosuid", Libc.MS_NOSUID,
            "nodev", Libc.MS_NODEV, "noexec", Libc.MS_NOEXEC, "bind", Libc.MS_BIND,
            "rbind", Libc.MS_BIND | Libc.MS_REC);

    /** Mounts each of {@code mounts} on {@code target} in order (later ones stack on earlier ones). */
    public void mountAll(List<Mount> mounts, Path target) {
        for (Mount mount : mounts) {
            mount(mount, target);
        }
    }

    /**
     * Mounts one: options known as flags (ro, nosuid, nodev, noexec, bind, rbind) become flags, the rest
     * (lowerdir=..., size=...) the filesystem's data string.
     */
    public void mount(Mount mount, Path target) {
        int flags = 0;
        List<String> data = new ArrayList<>();
        for (String option : mount.options()) {
            Integer flag = FLAGS.get(option);
            if (flag != null) {
                flags |= flag;
            } else if (!option.equals("rw")) {
                data.add(option);
            }
        }
        boolean bind = (flags & Libc.MS_BIND) != 0 || mount.type().equals("bind");
        boolean readonly = (flags & Libc.MS_RDONLY) != 0;
        // the kernel ignores MS_RDONLY on the first bind; read-only takes a remount
        long mountFlags = bind ? (flags | Libc.MS_BIND) & ~Libc.MS_RDONLY : flags;
        String fsData = data.isEmpty() ? null : String.join(",", data);
        call("mount " + mount.type() + " " + mount.source() + " on " + target, () -> Libc.INSTANCE.mount(
                mount.source(), target.toString(), bind ? null : mount.type(), new NativeLong(mountFlags), fsData));
        if (bind && readonly) {
            int remount = Libc.MS_REMOUNT | Libc.MS_BIND | Libc.MS_RDONLY;
            call("remount read-only " + target, () -> Libc.INSTANCE.mount(null, target.toString(), null,
                    new NativeLong(remount), null));
        }
    }

    /** Bind-mounts a file or directory; how pinned namespaces are kept alive. */
    public void bind(Path source, Path target) {
        mount(new Mount("bind", source.toString(), List.of("bind")), target);
    }

    /** Detaches the mount at {@code target} (lazily, so open files inside do not block it). */
    public void unmount(Path target) {
        call("unmount " + target, () -> Libc.INSTANCE.umount2(target.toString(), Libc.MNT_DETACH));
    }

    /** Unmounts everything at or below {@code dir}, e.g. what a crash left under berth's bundles. */
    public void unmountAllUnder(Path dir) {
        for (Path point : MountTable.mountPointsUnder(dir)) {
            unmount(point);
        }
    }

    public boolean isMountPoint(Path path) {
        return MountTable.mountPoints().contains(path.toAbsolutePath().normalize());
    }

    private static void call(String what, Runnable syscall) {
        try {
            syscall.run();
        } catch (LastErrorException e) {
            throw new BerthException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
