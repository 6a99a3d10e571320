package dev.berth.net.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.store.StateLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service IPs and node ports: handed out once, kept across restarts in the state root, given back on prune. */
class ServiceIpsTest {

    @TempDir
    Path dir;

    private ServiceIps ips() {
        return new ServiceIps(new StateLayout(dir), "10.96.0.0/16");
    }

    private static ServiceIps.Request any(String service) {
        return new ServiceIps.Request(service, null, "web.yaml:3:1", Map.of(), Map.of());
    }

    private static ServiceIps.Request asking(String service, String ip) {
        return new ServiceIps.Request(service, ip, "web.yaml:9:14", Map.of(), Map.of());
    }

    private static ServiceIps.Request nodePort(String service, int wanted) {
        return new ServiceIps.Request(service, null, "web.yaml:3:1", Map.of("80/TCP", wanted),
                Map.of("80/TCP", "web.yaml:12:17"));
    }

    private static String ip(ServiceIps.Assigned a, String service) {
        return a.allocations().get(service).clusterIP();
    }

    @Test
    void addressesStartAfterTheReservedFirstOneAndAreKeptAcrossRestartsAndOtherServicesComingAndGoing() {
        ServiceIps.Assigned first = ips().assign(List.of(any("a/one"), any("a/two")));
        assertEquals("10.96.0.2", ip(first, "a/one"));
        assertEquals("10.96.0.3", ip(first, "a/two"));
        // a new process (a restart): one gone, a new one comes first in the list; two keeps its address
        ServiceIps.Assigned later = ips().assign(List.of(any("a/three"), any("a/two")));
        assertEquals("10.96.0.3", ip(later, "a/two"));
        assertEquals("10.96.0.2", ip(later, "a/three"), "one's address was given back when it went");
        assertEquals(Map.of("a/three", "10.96.0.2", "a/two", "10.96.0.3"), ServiceIps.read(new StateLayout(dir)));
    }

    @Test
    void anAskedAddressIsHonouredAndOneOutOfRangeOrTakenIsAClearErrorOfThatServiceAlone() {
        ServiceIps.Assigned a = ips().assign(List.of(any("a/auto"), asking("a/fixed", "10.96.0.2"),
                asking("a/far", "10.97.0.1"), asking("a/dup", "10.96.0.2"), asking("a/first", "10.96.0.1")));
        assertEquals("10.96.0.2", ip(a, "a/fixed"), "asked for wins over handed out");
        assertEquals("10.96.0.3", ip(a, "a/auto"));
        assertEquals("web.yaml:9:14: spec.clusterIP: 10.97.0.1 is not in the Service range 10.96.0.0/16"
                + " (network.serviceCIDR)", a.errors().get("a/far"));
        assertEquals("web.yaml:9:14: spec.clusterIP: 10.96.0.2 is held by Service a/fixed", a.errors().get("a/dup"));
        assertTrue(a.errors().get("a/first").contains("10.96.0.1 is reserved"), a.errors().get("a/first"));
        assertEquals(2, a.allocations().size());
    }

    @Test
    void anAddressHeldIsNotTakenByAServiceAskingForItLater() {
        ips().assign(List.of(any("a/old")));
        ServiceIps.Assigned a = ips().assign(List.of(asking("a/new", "10.96.0.2"), any("a/old")));
        assertEquals("10.96.0.2", ip(a, "a/old"));
        assertEquals("web.yaml:9:14: spec.clusterIP: 10.96.0.2 is held by Service a/old", a.errors().get("a/new"));
    }

    @Test
    void headlessServicesHoldNoAddressAndChangingToAnotherAskedAddressMovesIt() {
        ServiceIps.Assigned a = ips().assign(List.of(asking("a/db", "None"), asking("a/web", "10.96.1.1")));
        assertEquals("None", ip(a, "a/db"));
        assertEquals(Map.of("a/web", "10.96.1.1"), ServiceIps.read(new StateLayout(dir)));
        ServiceIps.Assigned b = ips().assign(List.of(any("a/db"), asking("a/web", "10.96.1.2")));
        assertEquals("10.96.0.2", ip(b, "a/db"), "no longer headless: an address of its own");
        assertEquals("10.96.1.2", ip(b, "a/web"));
    }

    @Test
    void nodePortsAreHandedOutFrom30000KeptAndCheckedAgainstTheRangeAndEachOther() {
        ServiceIps.Assigned a = ips().assign(List.of(nodePort("a/any", 0), nodePort("a/fixed", 30000)));
        assertEquals(Map.of("80/TCP", 30000), a.allocations().get("a/fixed").nodePorts(), "asked for first");
        assertEquals(Map.of("80/TCP", 30001), a.allocations().get("a/any").nodePorts());
        ServiceIps.Assigned b = ips().assign(List.of(nodePort("a/low", 8080), nodePort("a/dup", 30001),
                nodePort("a/any", 0)));
        assertEquals(Map.of("80/TCP", 30001), b.allocations().get("a/any").nodePorts(), "kept");
        assertEquals("web.yaml:12:17: nodePort: 8080 is not in the node port range 30000-32767", b.errors().get("a/low"));
        assertEquals("web.yaml:12:17: nodePort: 30001 is held by another Service", b.errors().get("a/dup"));
    }

    @Test
    void aBadRangeIsAClearErrorNamingTheSetting() {
        BerthException e = assertThrows(BerthException.class, () -> new ServiceIps(new StateLayout(dir), "10.96.0.1/16"));
        assertEquals("network.serviceCIDR: 10.96.0.1/16 has host bits set; the network is 10.96.0.0/16", e.getMessage());
        assertThrows(BerthException.class, () -> new ServiceIps(new StateLayout(dir), "fd00::/108"));
    }

    @Test
    void aFullRangeIsAnErrorOfTheServiceThatFoundItFull() {
        ServiceIps small = new ServiceIps(new StateLayout(dir), "10.96.0.0/30"); // .0 net, .1 kept, .3 broadcast
        ServiceIps.Assigned a = small.assign(List.of(any("a/one"), any("a/two")));
        assertEquals("10.96.0.2", ip(a, "a/one"));
        assertEquals("no IP is free for Service a/two in the Service range 10.96.0.0/30 (network.serviceCIDR)",
                a.errors().get("a/two"));
    }
}
