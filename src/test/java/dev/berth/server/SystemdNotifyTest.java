package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The notify protocol against a real Unix datagram socket, bound as systemd binds its own. */
class SystemdNotifyTest {

    interface Receiver extends Library {
        Receiver INSTANCE = Native.load("c", Receiver.class);

        int bind(int fd, SystemdNotify.SockaddrUn address, int length) throws LastErrorException;

        int recv(int fd, byte[] buffer, int length, int flags) throws LastErrorException;
    }

    @Test
    void sendsEachStateAsOneDatagramToTheNotifySocket() {
        String name = "@berth-notify-test-" + ProcessHandle.current().pid();
        SystemdNotify.SockaddrUn address = new SystemdNotify.SockaddrUn();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 1, address.path, 1, bytes.length - 1); // path[0] stays 0: abstract
        int fd = SystemdNotify.Socket.INSTANCE.socket(SystemdNotify.Socket.AF_UNIX, SystemdNotify.Socket.SOCK_DGRAM, 0);
        try {
            Receiver.INSTANCE.bind(fd, address, 2 + bytes.length);
            SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", name));
            assertTrue(notify.send("READY=1"));
            assertTrue(notify.send("STATUS=synced abc123"));
            assertEquals("READY=1", receive(fd));
            assertEquals("STATUS=synced abc123", receive(fd));
        } finally {
            SystemdNotify.Socket.INSTANCE.close(fd);
        }
    }

    @Test
    void doesNothingOutsideSystemd() {
        assertFalse(SystemdNotify.fromEnvironment(Map.of()).send("READY=1"));
    }

    @Test
    void pingsTheWatchdogAtHalfItsInterval() {
        assertEquals(Optional.of(Duration.ofSeconds(15)), SystemdNotify.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000")));
        assertEquals(Optional.empty(), SystemdNotify.watchdogInterval(Map.of()));
    }

    private static String receive(int fd) {
        byte[] buffer = new byte[256];
        int n = Receiver.INSTANCE.recv(fd, buffer, buffer.length, 0);
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
}
