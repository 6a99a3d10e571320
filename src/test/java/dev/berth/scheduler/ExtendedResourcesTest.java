package dev.berth.scheduler;

import static dev.berth.scheduler.Pods.GI;
import static dev.berth.scheduler.Pods.T0;
import static dev.berth.scheduler.Pods.key;
import static dev.berth.scheduler.Pods.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extended resources ({@code example.com/dongle}) are admitted while the node's count lasts, like cpu and memory. */
class ExtendedResourcesTest {

    private static final String DONGLE = "example.com/dongle";
    private final Scheduler scheduler = new Scheduler();

    private static NodeCapacity node(long dongles) {
        return new NodeCapacity("n", 4000, 4 * GI, Map.of(DONGLE, dongles), Map.of(), List.of());
    }

    private static PodRequest pod(String name, long dongles, int priority, int second) {
        return new PodRequest(key(name), new Requests(100, 0, Map.of(DONGLE, dongles)), priority, T0.plusSeconds(second),
                Map.of(), List.of());
    }

    @Test
    void admittedWhileTheCountLasts() {
        Decision d = scheduler.schedule(node(4), List.of(pod("old", 1, 0, 0)),
                List.of(pod("a", 2, 0, 1), pod("b", 2, 0, 2), pod("c", 1, 0, 3)));
        assertEquals(keys("a", "c"), d.admitted(), "b would need 5 of 4; c, behind it, still fits");
        assertEquals(List.of(new Decision.Pending(key("b"), "Insufficient " + DONGLE)), d.pending());
    }

    @Test
    void aNodeThatOffersNoneHasNone() {
        Decision d = scheduler.schedule(Pods.node(4000, 4 * GI), List.of(), List.of(pod("p", 1, 0, 0)));
        assertEquals(List.of(new Decision.Pending(key("p"), "Insufficient " + DONGLE)), d.pending());
    }

    @Test
    void listedWithCpuAndMemoryWhenSeveralFallShort() {
        PodRequest big = new PodRequest(key("big"), new Requests(5000, 0, Map.of(DONGLE, 9L, "a.io/x", 1L)), 0, T0,
                Map.of(), List.of());
        Decision d = scheduler.schedule(node(4), List.of(), List.of(big));
        assertEquals("Insufficient cpu, a.io/x, " + DONGLE, d.pending().get(0).reason());
    }

    @Test
    void aHigherPriorityPodPreemptsForDongles() {
        Decision d = scheduler.schedule(node(2), List.of(pod("low", 2, 0, 0)), List.of(pod("high", 1, 100, 1)));
        assertEquals(keys("low"), d.preempt());
        assertEquals(Scheduler.WAITING_FOR_PREEMPTION, d.pending().get(0).reason());
    }
}
