package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A pod's shared network, IPC and UTS namespaces, kept alive without a pause process: bind mounts of the namespace
 * files under {@code <dir>/<pod>/}. They survive berth restarts and last until {@link #release}.
 */
public final class PodNamespaces {

    private static final List<String> KINDS = List.of("net", "ipc", "uts");

    private final Path dir;
    private final Mounter mounter;

    /** @param dir e.g. /run/berth/netns */
    public PodNamespaces(Path dir, Mounter mounter) {
        this.dir = dir;
        this.mounter = mounter;
    }

    /**
     * The pinned namespaces of {@code pod}, creating them the first time: new ones with loopback up and the sysctls
     * set, or the host's own where {@code options} say so.
     */
    public SharedNamespaces pin(String pod, NamespaceOptions options) {
        if (!pod.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("pod name must be [A-Za-z0-9_.-]: " + pod);
        }
        Path podDir = dir.resolve(pod);
        SharedNamespaces shared = new SharedNamespaces(podDir.resolve("net"), podDir.resolve("ipc"),
                podDir.resolve("uts"), options.hostPid());
        if (isPinned(pod)) {
            return shared;
        }
        try {
            Files.createDirectories(podDir);
            for (String kind : KINDS) {
                if (!Files.exists(podDir.resolve(kind))) {
                    Files.createFile(podDir.resolve(kind));
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot create " + podDir + ": " + e.getMessage(), e);
        }
        Set<String> fromHost = new HashSet<>();
        if (options.hostNetwork()) {
            fromHost.addAll(List.of("net", "uts"));
        }
        if (options.hostIpc()) {
            fromHost.add("ipc");
        }
        runOnThrowawayThread(pod, () -> {
            // unshare changes only the calling thread; this thread exits right after, so no other JVM code runs in them
            int flags = (fromHost.contains("net") ? 0 : Libc.CLONE_NEWNET | Libc.CLONE_NEWUTS)
                    | (fromHost.contains("ipc") ? 0 : Libc.CLONE_NEWIPC);
            if (flags != 0) {
                Libc.INSTANCE.unshare(flags);
            }
            if (!fromHost.contains("net")) {
                bringLoopbackUp();
            }
            // a thread's /proc/sys shows the namespaces it is in; validate refused sysctls of a host namespace
            options.sysctls().forEach((name, value) -> writeSysctl(pod, name, value));
            for (String kind : KINDS) {
                // /proc/self is the process, whose namespaces are the host's (the JVM never leaves them)
                String source = fromHost.contains(kind) ? "/proc/self/ns/" : "/proc/thread-self/ns/";
                mounter.bind(Path.of(source + kind), podDir.resolve(kind));
            }
        });
        return shared;
    }

    private static void writeSysctl(String pod, String name, String value) {
        Path file = Path.of("/proc/sys", name.split("\\."));
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new BerthException("pod " + pod + ": cannot set sysctl " + name + "=" + value + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the pod's network namespace is pinned: its file is then the namespace's (nsfs), not the empty file on
     * this filesystem it is mounted over. Two stats, where reading the mount table costs a parse of every mount.
     */
    public boolean isPinned(String pod) {
        Path net = dir.resolve(pod).resolve("net");
        try {
            return !Files.getAttribute(net, "unix:dev").equals(Files.getAttribute(net.getParent(), "unix:dev"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new BerthException("cannot look at " + net + ": " + e.getMessage(), e);
        }
    }

    /**
     * A TCP connection opened from inside the pod's pinned network namespace (the host's for a pod on the host's
     * network): it reaches the pod's own ports on 127.0.0.1 or its IP, with or without a pod network.
     */
    public Socket connect(String pod, InetSocketAddress address, Duration timeout) throws IOException {
        if (!isPinned(pod)) {
            throw new IOException("pod " + pod + " has no pinned network namespace");
        }
        return NetnsSockets.connect(dir.resolve(pod).resolve("net"), address, timeout);
    }

    /** Unmounts and deletes the pod's namespace files; the kernel frees a namespace once nothing else holds it. */
    public void release(String pod) {
        Path podDir = dir.resolve(pod);
        mounter.unmountAllUnder(podDir);
        try {
            for (String kind : KINDS) {
                Files.deleteIfExists(podDir.resolve(kind));
            }
            Files.deleteIfExists(podDir);
        } catch (IOException e) {
            throw new BerthException("cannot delete " + podDir + ": " + e.getMessage(), e);
        }
    }

    /** SIOCGIFFLAGS/SIOCSIFFLAGS on "lo" through a socket of the current (new) network namespace. */
    private static void bringLoopbackUp() {
        int socket = Libc.INSTANCE.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
        try {
            byte[] ifreq = new byte[40]; // struct ifreq: char ifr_name[16], then a union whose first short is flags
            byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, ifreq, 0, name.length);
            Libc.INSTANCE.ioctl(socket, new NativeLong(Libc.SIOCGIFFLAGS), ifreq);
            ByteBuffer flags = ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder());
            flags.putShort(16, (short) (flags.getShort(16) | Libc.IFF_UP));
            Libc.INSTANCE.ioctl(socket, new NativeLong(Libc.SIOCSIFFLAGS), ifreq);
        } finally {
            Libc.INSTANCE.close(socket);
        }
    }

    private static void runOnThrowawayThread(String pod, Runnable work) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (LastErrorException e) {
                failure.set(new BerthException("cannot create namespaces for pod " + pod + ": " + e.getMessage(), e));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "berth-pin-namespaces-" + pod);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while pinning namespaces of pod " + pod, e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
