package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.server.ConnectionCaps.Verdict;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionCapsTest {

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no lookup
    }

    @Test
    void oneAddressGetsItsShareAndOthersStillConnect() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(10, 2);
        InetAddress greedy = address("192.0.2.1");

        assertEquals(Verdict.ADMITTED, caps.admit(greedy));
        assertEquals(Verdict.ADMITTED, caps.admit(greedy));
        assertEquals(Verdict.OVER_ADDRESS, caps.admit(greedy));
        assertEquals(Verdict.ADMITTED, caps.admit(address("2001:db8::1")));
        caps.release(greedy);
        assertEquals(Verdict.ADMITTED, caps.admit(greedy), "a closed connection frees its place");
        assertEquals(3, caps.open());
    }

    @Test
    void theTotalCapsEveryoneAndLoopbackOnlyEscapesThePerAddressCap() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(3, 1);
        InetAddress local = InetAddress.getLoopbackAddress();

        assertEquals(Verdict.ADMITTED, caps.admit(local));
        assertEquals(Verdict.ADMITTED, caps.admit(local));
        assertEquals(Verdict.ADMITTED, caps.admit(address("192.0.2.7")));
        assertEquals(Verdict.OVER_TOTAL, caps.admit(local));
        assertEquals(Verdict.OVER_TOTAL, caps.admit(address("192.0.2.8")));
    }
}
