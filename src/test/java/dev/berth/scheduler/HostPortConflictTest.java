package dev.berth.scheduler;

import static dev.berth.scheduler.Pods.T0;
import static dev.berth.scheduler.Pods.key;
import static dev.berth.scheduler.Pods.keys;
import static dev.berth.scheduler.Pods.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube-scheduler's NodePorts filter on one node: a host port held by a pod or a host process keeps a pod Pending. */
class HostPortConflictTest {

    private static final NodeCapacity NODE = node(4000, 4 * Pods.GI);

    private static PodRequest pod(String name, int second, HostPort... ports) {
        return new PodRequest(key(name), new Requests(100, Pods.MI), 0, T0.plusSeconds(second), Map.of(), null,
                List.of(), null, List.of(ports));
    }

    private static Decision.Pending conflict(String name, String message) {
        return new Decision.Pending(key(name), message, Decision.Cause.HOST_PORT_CONFLICT);
    }

    @Test
    void aPortHeldByARunningPodKeepsTheNewPodPendingNamingTheHolder() {
        Decision d = new Scheduler().schedule(NODE, List.of(pod("old", 0, new HostPort("TCP", null, 8080))),
                List.of(pod("new", 1, new HostPort("TCP", "", 8080)), pod("other", 2, new HostPort("TCP", "", 8081))));
        assertEquals(keys("other"), d.admitted());
        assertEquals(List.of(conflict("new", "hostPort 8080/TCP is held by Pod default/old")), d.pending());
        assertEquals("HostPortConflict", d.pending().get(0).cause().reason());
        assertEquals(List.of(), d.preempt(), "no pod is evicted for a port");
    }

    @Test
    void podsAdmittedInOnePassTakeTheirPortsInQueueOrder() {
        Decision d = new Scheduler().schedule(NODE, List.of(),
                List.of(pod("second", 2, new HostPort("UDP", "", 53)), pod("first", 1, new HostPort("udp", "", 53))));
        assertEquals(keys("first"), d.admitted());
        assertEquals(List.of(conflict("second", "hostPort 53/UDP is held by Pod default/first")), d.pending());
    }

    @Test
    void otherProtocolsAndOtherAddressesDoNotConflictButAllAddressesDo() {
        HostPort tcp = new HostPort("TCP", "127.0.0.1", 80);
        assertFalse(tcp.overlaps(new HostPort("UDP", "127.0.0.1", 80)));
        assertFalse(tcp.overlaps(new HostPort("TCP", "10.0.0.1", 80)));
        assertFalse(tcp.overlaps(new HostPort("TCP", "127.0.0.1", 81)));
        assertTrue(tcp.overlaps(new HostPort("TCP", "0.0.0.0", 80)));
        assertTrue(tcp.overlaps(new HostPort("TCP", "::", 80)));
        assertTrue(new HostPort("TCP", "::1", 80).overlaps(new HostPort("TCP", "0:0:0:0:0:0:0:1", 80)));
        assertEquals("80/TCP on 127.0.0.1", tcp.toString());
    }

    @Test
    void aHostProcessListeningOnThePortIsAConflict() {
        Decision d = new Scheduler().schedule(NODE, List.of(),
                List.of(pod("web", 0, new HostPort("TCP", "", 8080)), pod("dns", 1, new HostPort("UDP", "127.0.0.1", 53)),
                        pod("free", 2, new HostPort("TCP", "127.0.0.1", 9090))),
                List.of(new HostPort("TCP", "127.0.0.1", 8080), new HostPort("UDP", "0.0.0.0", 53),
                        new HostPort("TCP", "10.1.1.1", 9090)));
        assertEquals(keys("free"), d.admitted());
        assertEquals(List.of(
                conflict("web", "hostPort 8080/TCP is held by a host process listening on 127.0.0.1:8080/TCP"),
                conflict("dns", "hostPort 53/UDP on 127.0.0.1 is held by a host process listening on *:53/UDP")),
                d.pending());
    }
}
