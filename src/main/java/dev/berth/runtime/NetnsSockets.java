package dev.berth.runtime;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * TCP connections opened from inside a network namespace, e.g. a pod's, to reach its ports on its loopback or its
 * own addresses. A namespace is a thread's, and a socket stays in the namespace it was made in: each connection is
 * made on a thread of its own that enters the namespace, connects and ends, so no other code ever runs there, and the
 * socket is then used from any thread.
 */
public final class NetnsSockets {

    private NetnsSockets() {}

    /**
     * @param netns a network namespace file, e.g. a pinned one or /proc/PID/ns/net
     * @throws IOException as {@link Socket#connect(java.net.SocketAddress, int)} throws it, or when the namespace
     *                     cannot be entered
     */
    public static Socket connect(Path netns, InetSocketAddress address, Duration timeout) throws IOException {
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                enter(netns);
                Socket socket = new Socket(); // its file descriptor is made by connect, on this thread
                try {
                    socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
                } catch (IOException | RuntimeException e) {
                    socket.close();
                    throw e;
                }
                if (!connected.complete(socket)) {
                    socket.close(); // the caller gave up
                }
            } catch (Throwable e) {
                connected.completeExceptionally(e);
            }
        }, "berth-netns-connect");
        thread.setDaemon(true);
        thread.start();
        try {
            return connected.get(); // bounded by the connect timeout
        } catch (InterruptedException e) {
            connected.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + address, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static void enter(Path netns) throws IOException {
        int fd;
        try {
            fd = Libc.INSTANCE.open(netns.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open the network namespace " + netns + ": " + e.getMessage(), e);
        }
        try {
            Libc.INSTANCE.setns(fd, Libc.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IOException("cannot enter the network namespace " + netns + ": " + e.getMessage(), e);
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }
}
