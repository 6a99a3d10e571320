package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.scheduler.HostPort;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void readsListeningTcpAndBoundUdpSocketsFromTheKernelsTables() {
        List<String> tcp = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
                "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1",
                "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1");
        assertEquals(List.of(new HostPort("TCP", "127.0.0.1", 8080), new HostPort("TCP", "", 22)),
                ListeningSockets.parse("TCP", tcp), "an established connection is no listener");
        List<String> udp6 = List.of(
                "  sl  local_address                         remote_address                        st tx_queue ...",
                "  10: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 00000000:0",
                "  11: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:0",
                "  12: 00000000000000000000000001000000:A000 00000000000000000000000001000000:0035 01 00000000:0");
        assertEquals(List.of(new HostPort("UDP", "::1", 53), new HostPort("UDP", "", 5353)),
                ListeningSockets.parse("UDP", udp6), "a connected UDP socket is a client's");
    }

    @Test
    void seesThisProcesssOwnListeners() throws IOException {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            List<HostPort> listening = ListeningSockets.read();
            assertTrue(listening.contains(new HostPort("TCP", "127.0.0.1", tcp.getLocalPort())), listening.toString());
            assertTrue(listening.contains(new HostPort("UDP", "127.0.0.1", udp.getLocalPort())), listening.toString());
        }
    }
}
