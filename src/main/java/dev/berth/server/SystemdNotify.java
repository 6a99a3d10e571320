package dev.berth.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * systemd's notify protocol (sd_notify(3)): datagrams such as {@code READY=1} to the socket named by
 * {@code $NOTIFY_SOCKET}, sent through JNA since the JDK has no Unix datagram sockets. Without the variable (not
 * under systemd) every call does nothing.
 */
public final class SystemdNotify {

    /** The libc calls for one datagram; each throws on failure with errno. */
    interface Socket extends Library {
        int AF_UNIX = 1;
        int SOCK_DGRAM = 2;
        int SOCK_CLOEXEC = 0x80000;

        Socket INSTANCE = Native.load("c", Socket.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int sendto(int fd, byte[] buffer, int length, int flags, SockaddrUn address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** {@code struct sockaddr_un}. */
    @Structure.FieldOrder({"family", "path"})
    public static final class SockaddrUn extends Structure {
        public short family = Socket.AF_UNIX;
        public byte[] path = new byte[108];
    }

    private final String socket;

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    public static SystemdNotify fromEnvironment(Map<String, String> env) {
        return new SystemdNotify(env.get("NOTIFY_SOCKET"));
    }

    /** Half the watchdog interval systemd asked for ({@code $WATCHDOG_USEC}), as sd_watchdog_enabled(3) advises. */
    public static Optional<Duration> watchdogInterval(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        return usec == null || usec.isBlank() ? Optional.empty() : Optional.of(Duration.ofNanos(Long.parseLong(usec) * 500));
    }

    /** Sends one notification, e.g. {@code READY=1} or {@code STATUS=synced abc123}; false when not under systemd. */
    public boolean send(String state) {
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        SockaddrUn address = new SockaddrUn();
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, address.path, 0, Math.min(name.length, address.path.length - 1));
        if (name[0] == '@') {
            address.path[0] = 0; // an abstract socket
        }
        int length = 2 + name.length + (name[0] == '@' ? 0 : 1);
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        int fd = Socket.INSTANCE.socket(Socket.AF_UNIX, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
        try {
            Socket.INSTANCE.sendto(fd, message, message.length, 0, address, length);
            return true;
        } finally {
            Socket.INSTANCE.close(fd);
        }
    }
}
