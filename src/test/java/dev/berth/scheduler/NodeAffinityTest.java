package dev.berth.scheduler;

import static dev.berth.scheduler.NodeSelectorRequirement.Operator.DOES_NOT_EXIST;
import static dev.berth.scheduler.NodeSelectorRequirement.Operator.EXISTS;
import static dev.berth.scheduler.NodeSelectorRequirement.Operator.GT;
import static dev.berth.scheduler.NodeSelectorRequirement.Operator.IN;
import static dev.berth.scheduler.NodeSelectorRequirement.Operator.LT;
import static dev.berth.scheduler.NodeSelectorRequirement.Operator.NOT_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Required node affinity against a node's labels and name, with the label-selector semantics of Kubernetes. */
class NodeAffinityTest {

    private static final NodeCapacity NODE = new NodeCapacity("edge-1", 1000, 1 << 30, Map.of(),
            Map.of("disk", "ssd", "cores", "8", "kubernetes.io/os", "linux"), List.of());

    private static NodeSelectorRequirement req(String key, NodeSelectorRequirement.Operator op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    private static boolean admits(NodeSelectorRequirement... expressions) {
        return new NodeAffinity(List.of(new NodeAffinity.Term(List.of(expressions), List.of()))).admits(NODE);
    }

    @Test
    void inAndNotIn() {
        assertTrue(admits(req("disk", IN, "hdd", "ssd")));
        assertFalse(admits(req("disk", IN, "hdd")));
        assertFalse(admits(req("gpu", IN, "a100")), "In needs the label");
        assertTrue(admits(req("disk", NOT_IN, "hdd")));
        assertFalse(admits(req("disk", NOT_IN, "ssd")));
        assertTrue(admits(req("gpu", NOT_IN, "a100")), "a missing label is in no set");
    }

    @Test
    void existsAndDoesNotExist() {
        assertTrue(admits(req("disk", EXISTS)));
        assertFalse(admits(req("gpu", EXISTS)));
        assertTrue(admits(req("gpu", DOES_NOT_EXIST)));
        assertFalse(admits(req("disk", DOES_NOT_EXIST)));
    }

    @Test
    void gtAndLtCompareIntegersStrictly() {
        assertTrue(admits(req("cores", GT, "4")));
        assertFalse(admits(req("cores", GT, "8")), "strictly greater");
        assertTrue(admits(req("cores", LT, "9")));
        assertFalse(admits(req("cores", LT, "8")));
        assertTrue(admits(req("cores", GT, "-1")));
        assertFalse(admits(req("disk", GT, "1")), "a label that is no integer matches neither");
        assertFalse(admits(req("disk", LT, "1")));
        assertFalse(admits(req("cores", GT, "four")), "nor does a bound that is none");
        assertFalse(admits(req("gpus", LT, "1")), "a missing label is not less than anything");
    }

    @Test
    void expressionsOfATermAreAndedAndTermsAreOred() {
        assertFalse(admits(req("disk", IN, "ssd"), req("cores", GT, "16")));
        NodeAffinity either = new NodeAffinity(List.of(
                new NodeAffinity.Term(List.of(req("cores", GT, "16")), List.of()),
                new NodeAffinity.Term(List.of(req("kubernetes.io/os", IN, "linux")), List.of())));
        assertTrue(either.admits(NODE));
    }

    @Test
    void matchFieldsSelectTheNodeByName() {
        NodeAffinity byName = new NodeAffinity(List.of(new NodeAffinity.Term(List.of(),
                List.of(req(NodeAffinity.NAME_FIELD, IN, "edge-1")))));
        assertTrue(byName.admits(NODE));
        NodeAffinity notThisOne = new NodeAffinity(List.of(new NodeAffinity.Term(List.of(req("disk", EXISTS)),
                List.of(req(NodeAffinity.NAME_FIELD, NOT_IN, "edge-1")))));
        assertFalse(notThisOne.admits(NODE));
    }

    @Test
    void anEmptyTermOrNoTermSelectsNothingButNoAffinityAdmitsAll() {
        assertFalse(new NodeAffinity(List.of(new NodeAffinity.Term(List.of(), List.of()))).admits(NODE));
        assertFalse(new NodeAffinity(List.of()).admits(NODE));
        assertTrue(NodeAffinity.NONE.admits(NODE));
    }

    @Test
    void theSchedulerKeepsAPodOffANodeItsAffinityOrSelectorRejects() {
        NodeAffinity gpu = new NodeAffinity(List.of(new NodeAffinity.Term(List.of(req("gpu", EXISTS)), List.of())));
        PodRequest byAffinity = new PodRequest(Pods.key("a"), Requests.NONE, 0, Pods.T0, Map.of(), gpu, List.of(), null);
        PodRequest bySelector = new PodRequest(Pods.key("s"), Requests.NONE, 0, Pods.T0, Map.of("disk", "hdd"),
                NodeAffinity.NONE, List.of(), null);
        PodRequest fits = new PodRequest(Pods.key("f"), Requests.NONE, 0, Pods.T0, Map.of("disk", "ssd"),
                new NodeAffinity(List.of(new NodeAffinity.Term(List.of(req("cores", GT, "2")), List.of()))), List.of(),
                null);
        Decision d = new Scheduler().schedule(NODE, List.of(), List.of(byAffinity, bySelector, fits));
        assertEquals(Pods.keys("f"), d.admitted());
        assertEquals(List.of(new Decision.Pending(Pods.key("a"), "node(s) didn't match Pod's node affinity/selector"),
                new Decision.Pending(Pods.key("s"), "node(s) didn't match Pod's node affinity/selector")), d.pending());
        assertEquals(List.of(), d.preempt(), "no eviction can change a node's labels");
    }
}
