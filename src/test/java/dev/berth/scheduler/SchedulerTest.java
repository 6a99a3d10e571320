package dev.berth.scheduler;

import static dev.berth.scheduler.Pods.GI;
import static dev.berth.scheduler.Pods.MI;
import static dev.berth.scheduler.Pods.T0;
import static dev.berth.scheduler.Pods.key;
import static dev.berth.scheduler.Pods.keys;
import static dev.berth.scheduler.Pods.node;
import static dev.berth.scheduler.Pods.pod;
import static dev.berth.scheduler.Taint.Effect.NO_EXECUTE;
import static dev.berth.scheduler.Taint.Effect.NO_SCHEDULE;
import static dev.berth.scheduler.Taint.Effect.PREFER_NO_SCHEDULE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission against capacity, nodeSelector, taints and the queue order; preemption is in PreemptionTest. */
class SchedulerTest {

    private final Scheduler scheduler = new Scheduler();

    private static List<Decision.Pending> pending(String name, String reason) {
        return List.of(new Decision.Pending(key(name), reason));
    }

    private static PodRequest placed(String name, Map<String, String> nodeSelector, List<Toleration> tolerations) {
        return new PodRequest(key(name), new Requests(100, MI), 0, T0, nodeSelector, tolerations);
    }

    private static NodeCapacity tainted(Taint... taints) {
        return new NodeCapacity(1000, GI, Map.of(), List.of(taints));
    }

    @Test
    void admitsWhatFitsAndAccountsForRunningPods() {
        Decision d = scheduler.schedule(node(2000, 2 * GI), List.of(pod("old", 1000, GI)),
                List.of(pod("a", 500, 512 * MI, 0, 1), pod("b", 500, 512 * MI, 0, 2)));
        assertEquals(keys("a", "b"), d.admitted());
        assertEquals(List.of(), d.pending());
        assertEquals(List.of(), d.preempt());
    }

    @Test
    void insufficientCpu() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("old", 600, 0)), List.of(pod("p", 500, MI)));
        assertEquals(pending("p", "Insufficient cpu"), d.pending());
        assertEquals(List.of(), d.admitted());
    }

    @Test
    void insufficientMemory() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(), List.of(pod("p", 100, GI + 1)));
        assertEquals(pending("p", "Insufficient memory"), d.pending());
    }

    @Test
    void insufficientBoth() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(), List.of(pod("p", 1001, 2 * GI)));
        assertEquals(pending("p", "Insufficient cpu, memory"), d.pending());
    }

    @Test
    void exactFitIsAdmitted() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("old", 400, GI / 2)), List.of(pod("p", 600, GI / 2)));
        assertEquals(keys("p"), d.admitted());
    }

    @Test
    void bestEffortPodsAlwaysFitCapacityWise() {
        Decision full = scheduler.schedule(node(1000, GI), List.of(pod("hog", 1000, GI)), List.of(pod("free", 0, 0)));
        assertEquals(keys("free"), full.admitted());
        // Running pods beyond allocatable (the reserve grew) still leave room for pods asking nothing.
        Decision over = scheduler.schedule(node(500, GI), List.of(pod("hog", 1000, 0)), List.of(pod("mem", 0, MI)));
        assertEquals(keys("mem"), over.admitted());
    }

    @Test
    void reserveLeavesLessForPods() {
        NodeCapacity node = NodeCapacity.allocatable(2000, 4 * GI, dev.berth.core.Quantity.parse("1"),
                dev.berth.core.Quantity.parse("1Gi"), Map.of(), List.of());
        Decision d = scheduler.schedule(node, List.of(), List.of(pod("big", 1500, MI, 1, 0), pod("small", 1000, MI, 0, 0)));
        assertEquals(keys("small"), d.admitted());
        assertEquals(pending("big", "Insufficient cpu"), d.pending());
    }

    @Test
    void nodeSelectorMustMatchEveryLabel() {
        NodeCapacity node = new NodeCapacity(1000, GI, Map.of("disk", "ssd", "zone", "a"), List.of());
        Decision d = scheduler.schedule(node, List.of(), List.of(
                placed("ssd", Map.of("disk", "ssd"), List.of()),
                placed("both", Map.of("disk", "ssd", "zone", "a"), List.of()),
                placed("hdd", Map.of("disk", "hdd"), List.of()),
                placed("gpu", Map.of("disk", "ssd", "gpu", "true"), List.of())));
        assertEquals(keys("both", "ssd"), d.admitted());
        String reason = "node(s) didn't match Pod's node affinity/selector";
        assertEquals(List.of(new Decision.Pending(key("gpu"), reason), new Decision.Pending(key("hdd"), reason)),
                d.pending());
    }

    @Test
    void noScheduleAndNoExecuteTaintsBlockUntoleratingPods() {
        Decision d = scheduler.schedule(tainted(new Taint("dedicated", "gpu", NO_SCHEDULE)), List.of(),
                List.of(placed("p", Map.of(), List.of())));
        assertEquals(pending("p", "node(s) had untolerated taint {dedicated: gpu}"), d.pending());
        Decision noExecute = scheduler.schedule(tainted(new Taint("maintenance", null, NO_EXECUTE)), List.of(),
                List.of(placed("p", Map.of(), List.of())));
        assertEquals(pending("p", "node(s) had untolerated taint {maintenance: }"), noExecute.pending());
    }

    @Test
    void toleratedTaintsLetPodsIn() {
        NodeCapacity node = tainted(new Taint("dedicated", "gpu", NO_SCHEDULE), new Taint("edge", "", NO_EXECUTE));
        Decision d = scheduler.schedule(node, List.of(), List.of(
                placed("equal", Map.of(), List.of(Toleration.equal("dedicated", "gpu", NO_SCHEDULE),
                        Toleration.exists("edge", NO_EXECUTE))),
                placed("anyEffect", Map.of(), List.of(Toleration.equal("dedicated", "gpu", null),
                        Toleration.exists("edge", null))),
                placed("everything", Map.of(), List.of(Toleration.exists("", null))),
                placed("half", Map.of(), List.of(Toleration.exists("dedicated", null)))));
        assertEquals(keys("anyEffect", "equal", "everything"), d.admitted());
        assertEquals(pending("half", "node(s) had untolerated taint {edge: }"), d.pending());
    }

    @Test
    void preferNoScheduleNeverBlocks() {
        Decision d = scheduler.schedule(tainted(new Taint("spot", "true", PREFER_NO_SCHEDULE)), List.of(),
                List.of(placed("p", Map.of(), List.of())));
        assertEquals(keys("p"), d.admitted());
    }

    @Test
    void queueOrderIsPriorityThenAgeThenName() {
        Decision d = scheduler.schedule(node(10_000, 10 * GI), List.of(), List.of(
                pod("low-old", 1, 1, 0, 0), pod("high-new", 1, 1, 10, 50), pod("high-old", 1, 1, 10, 5),
                pod("mid-b", 1, 1, 5, 7), pod("mid-a", 1, 1, 5, 7)));
        assertEquals(keys("high-old", "high-new", "mid-a", "mid-b", "low-old"), d.admitted());
    }

    @Test
    void capacityGoesToTheQueueFirst() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(),
                List.of(pod("young", 600, MI, 0, 2), pod("old", 600, MI, 0, 1), pod("important", 600, MI, 1, 3)));
        assertEquals(keys("important"), d.admitted());
        assertEquals(List.of(new Decision.Pending(key("old"), "Insufficient cpu"),
                new Decision.Pending(key("young"), "Insufficient cpu")), d.pending());
    }

    @Test
    void aPodThatDoesNotFitDoesNotBlockSmallerOnesBehindIt() {
        Decision d = scheduler.schedule(node(1000, GI), List.of(pod("running", 500, 0)),
                List.of(pod("big", 800, MI, 0, 0), pod("small", 300, MI, 0, 1), pod("tiny", 200, MI, 0, 2)));
        assertEquals(keys("small", "tiny"), d.admitted());
        assertEquals(pending("big", "Insufficient cpu"), d.pending());
        assertEquals(List.of(), d.preempt());
    }

    @Test
    void capacityFreedIsUsedOnTheNextCall() {
        NodeCapacity node = node(1000, GI);
        PodRequest waiting = pod("waiting", 800, MI);
        assertEquals(pending("waiting", "Insufficient cpu"),
                scheduler.schedule(node, List.of(pod("job", 500, 0)), List.of(waiting)).pending());
        assertEquals(keys("waiting"), scheduler.schedule(node, List.of(), List.of(waiting)).admitted());
    }
}
