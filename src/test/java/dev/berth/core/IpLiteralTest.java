package dev.berth.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void readsAddressesAsGosParseIp() {
        for (String ip : List.of("1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1", "fd00::5", "1::",
                "2001:db8:0:0:0:0:2:1", "::ffff:192.168.1.1", "1:2:3:4:5:6:1.2.3.4", "FE80::A")) {
            assertTrue(IpLiteral.isValid(ip), ip);
        }
        for (String ip : List.of("", "1.2.3", "1.2.3.c", "256.1.1.1", "01.2.3.4", "1.2.3.4.5", "localhost", ":::",
                "1:::2", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8", "12345::",
                "::1.2.3", "fe80::1%eth0", " 1.2.3.4")) {
            assertFalse(IpLiteral.isValid(ip), ip);
        }
        assertFalse(IpLiteral.isValid(null));
    }
}
