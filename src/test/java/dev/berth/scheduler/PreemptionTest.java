package dev.berth.scheduler;

import static dev.berth.scheduler.Pods.GI;
import static dev.berth.scheduler.Pods.MI;
import static dev.berth.scheduler.Pods.key;
import static dev.berth.scheduler.Pods.keys;
import static dev.berth.scheduler.Pods.neverPreempting;
import static dev.berth.scheduler.Pods.node;
import static dev.berth.scheduler.Pods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pending pods of higher priority evicting running pods of lower priority. */
class PreemptionTest {

    private static final String WAITING = "waiting for preemption of lower-priority pods";

    private final Scheduler scheduler = new Scheduler();

    private static List<Decision.Pending> pending(String name, String reason) {
        return List.of(new Decision.Pending(key(name), reason));
    }

    @Test
    void evictsTheNewestOfTheLowestPriority() {
        List<PodRequest> running = List.of(pod("mid", 1000, MI, 5, 0), pod("low-old", 1000, MI, 1, 0),
                pod("low-new", 1000, MI, 1, 9));
        Decision d = scheduler.schedule(node(3000, GI), running, List.of(pod("urgent", 1000, MI, 10, 20)));
        assertEquals(keys("low-new"), d.preempt());
        assertEquals(pending("urgent", WAITING), d.pending());
        assertEquals(List.of(), d.admitted());
    }

    @Test
    void sparesEveryPodItCan() {
        List<PodRequest> running = List.of(pod("mid", 1000, MI, 1, 0), pod("big", 1500, MI, 0, 0),
                pod("small", 500, MI, 0, 1));
        Decision d = scheduler.schedule(node(3000, GI), running, List.of(pod("urgent", 1500, MI, 10, 0)));
        assertEquals(keys("big"), d.preempt());
    }

    @Test
    void prefersSeveralLowerPodsToOneOfHigherPriority() {
        List<PodRequest> running = List.of(pod("mid", 2000, MI, 1, 0), pod("low-a", 1000, MI, 0, 0),
                pod("low-b", 1000, MI, 0, 1));
        Decision d = scheduler.schedule(node(4000, GI), running, List.of(pod("urgent", 2000, MI, 10, 0)));
        assertEquals(keys("low-b", "low-a"), d.preempt());
    }

    @Test
    void preemptsForMemoryToo() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("low", 100, GI, 0, 0)),
                List.of(pod("urgent", 100, 512 * MI, 1, 0)));
        assertEquals(keys("low"), d.preempt());
    }

    @Test
    void neverEvictsEqualOrHigherPriority() {
        List<PodRequest> running = List.of(pod("peer", 600, MI, 5, 0), pod("boss", 200, MI, 9, 0),
                pod("low", 200, MI, 1, 0));
        Decision d = scheduler.schedule(node(1000, GI), running, List.of(pod("p", 500, MI, 5, 1)));
        assertEquals(List.of(), d.preempt());
        assertEquals(pending("p", "Insufficient cpu"), d.pending());
    }

    @Test
    void preemptionPolicyNeverDoesNotPreempt() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("low", 1000, MI, 0, 0)),
                List.of(neverPreempting("polite", 500, MI, 100)));
        assertEquals(List.of(), d.preempt());
        assertEquals(pending("polite", "Insufficient cpu"), d.pending());
    }

    @Test
    void preemptorWaitsForItsVictimsThenIsAdmitted() {
        NodeCapacity node = node(1000, GI);
        PodRequest victim = pod("low", 800, MI, 0, 0);
        PodRequest other = pod("other", 200, MI, 0, 0);
        List<PodRequest> queue = List.of(pod("urgent", 700, MI, 10, 5));

        Decision first = scheduler.schedule(node, List.of(victim, other), queue);
        assertEquals(keys("low"), first.preempt());
        assertEquals(pending("urgent", WAITING), first.pending());

        // The victim is still stopping gracefully: the same decision, so nothing new is evicted.
        assertEquals(first, scheduler.schedule(node, List.of(victim, other), queue));

        Decision afterwards = scheduler.schedule(node, List.of(other), queue);
        assertEquals(keys("urgent"), afterwards.admitted());
        assertEquals(List.of(), afterwards.preempt());
    }

    @Test
    void roomPromisedToThePreemptorIsNotGivenAway() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("low", 800, MI, 0, 0)),
                List.of(pod("urgent", 600, MI, 10, 0), pod("small", 200, MI, 0, 1)));
        assertEquals(keys("low"), d.preempt());
        assertEquals(List.of(new Decision.Pending(key("urgent"), WAITING),
                new Decision.Pending(key("small"), "Insufficient cpu")), d.pending());
    }

    @Test
    void twoPreemptorsTakeDifferentVictims() {
        List<PodRequest> running = List.of(pod("low-old", 1000, MI, 0, 0), pod("low-new", 1000, MI, 0, 1));
        Decision d = scheduler.schedule(node(2000, GI), running,
                List.of(pod("first", 1000, MI, 10, 0), pod("second", 1000, MI, 9, 0)));
        assertEquals(keys("low-new", "low-old"), d.preempt());
        assertEquals(List.of(new Decision.Pending(key("first"), WAITING), new Decision.Pending(key("second"), WAITING)),
                d.pending());
    }

    @Test
    void aSecondPreemptorUsesRoomAlreadyBeingFreed() {
        List<PodRequest> running = List.of(pod("big", 1500, MI, 0, 0), pod("tiny", 500, MI, 0, 1));
        Decision d = scheduler.schedule(node(2000, GI), running,
                List.of(pod("first", 1000, MI, 10, 0), pod("second", 500, MI, 9, 0)));
        assertEquals(keys("big"), d.preempt());
        assertEquals(List.of(new Decision.Pending(key("first"), WAITING), new Decision.Pending(key("second"), WAITING)),
                d.pending());
    }

    @Test
    void bestEffortPodsAreNotEvictedForNothing() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("idle", 0, 0, 0, 0), pod("low", 1000, MI, 0, 1)),
                List.of(pod("urgent", 1000, MI, 10, 0)));
        assertEquals(keys("low"), d.preempt());
    }

    @Test
    void aPodTooBigForTheEmptyNodePreemptsNothing() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("low", 500, MI, 0, 0)),
                List.of(pod("huge", 2000, 2 * GI, 10, 0)));
        assertEquals(List.of(), d.preempt());
        assertEquals(pending("huge", "Insufficient cpu, memory"), d.pending());
    }

    @Test
    void aPodTheNodeRefusesPreemptsNothing() {
        NodeCapacity node = new NodeCapacity(1000, GI, Map.of("disk", "hdd"), List.of());
        PodRequest wantsSsd = new PodRequest(key("ssd"), new Requests(1000, MI), 10, Pods.T0, Map.of("disk", "ssd"),
                List.of());
        Decision d = scheduler.schedule(node, List.of(pod("low", 1000, MI, 0, 0)), List.of(wantsSsd));
        assertEquals(List.of(), d.preempt());
        assertEquals(pending("ssd", "node(s) didn't match Pod's node affinity/selector"), d.pending());
    }
}
