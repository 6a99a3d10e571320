package dev.berth.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.BerthException;
import dev.berth.net.cni.NetworkConfigList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the pods' DNS server listens: the bridge's gateway, as host-local IPAM takes it from the network config. */
class BridgeGatewayTest {

    @TempDir
    Path dir;

    @Test
    void berthsDefaultNetworkHasItsGatewayAt10_88_0_1() {
        assertEquals(Optional.of("10.88.0.1"), BridgeGateway.of(NetworkConfigList.load(dir, "berth")));
    }

    @Test
    void aRangesGatewayWinsOverItsSubnetsFirstAddress() throws IOException {
        assertEquals(Optional.of("10.1.2.254"), BridgeGateway.of(list("""
                {"type": "bridge", "ipam": {"type": "host-local", "ranges": [
                  [{"subnet": "fd00::/64"}], [{"subnet": "10.1.2.0/24", "gateway": "10.1.2.254"}]]}}""")));
        assertEquals(Optional.of("172.30.16.1"), BridgeGateway.of(list("""
                {"type": "bridge", "ipam": {"type": "host-local", "subnet": "172.30.16.0/20"}}""")),
                "the older form");
        assertEquals(Optional.empty(), BridgeGateway.of(list("""
                {"type": "macvlan", "ipam": {"type": "dhcp"}}""")));
    }

    @Test
    void theFirstAddressIsTheNetworksPlusOne() {
        assertEquals("10.88.0.1", BridgeGateway.firstAddress("10.88.0.0/16"));
        assertEquals("192.168.7.129", BridgeGateway.firstAddress("192.168.7.200/25"));
        assertThrows(BerthException.class, () -> BridgeGateway.firstAddress("10.0.0.1/32"));
        assertThrows(BerthException.class, () -> BridgeGateway.firstAddress("10.0.300.0/24"));
    }

    private NetworkConfigList list(String plugin) throws IOException {
        Files.writeString(dir.resolve("n.conflist"),
                "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [" + plugin + "]}");
        return NetworkConfigList.load(dir, "n");
    }
}
