package dev.berth.scheduler;

import static dev.berth.scheduler.Pods.GI;
import static dev.berth.scheduler.Pods.MI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Allocatable = machine minus the configured reserve. */
class NodeCapacityTest {

    private static NodeCapacity allocatable(long cpu, long memory, String reservedCpu, String reservedMemory) {
        return NodeCapacity.allocatable(cpu, memory, reservedCpu == null ? null : Quantity.parse(reservedCpu),
                reservedMemory == null ? null : Quantity.parse(reservedMemory), Map.of("zone", "a"), List.of());
    }

    @Test
    void reserveIsSubtracted() {
        NodeCapacity node = allocatable(4000, 8 * GI, "500m", "1Gi");
        assertEquals(3500, node.cpuMillis());
        assertEquals(7 * GI, node.memoryBytes());
        assertEquals(Map.of("zone", "a"), node.labels());
    }

    @Test
    void noReserveLeavesTheWholeMachine() {
        NodeCapacity node = allocatable(2000, 512 * MI, null, null);
        assertEquals(2000, node.cpuMillis());
        assertEquals(512 * MI, node.memoryBytes());
    }

    @Test
    void neverNegative() {
        // 16384Pi is 16Ei, more than a long holds
        NodeCapacity node = allocatable(1000, GI, "2", "16384Pi");
        assertEquals(0, node.cpuMillis());
        assertEquals(0, node.memoryBytes());
    }

    @Test
    void fractionalReservesRoundUp() {
        assertEquals(999, allocatable(1000, GI, "0.0001", null).cpuMillis());
        assertEquals(GI - 1, allocatable(1000, GI, null, "0.5").memoryBytes());
    }

    @Test
    void negativeReserveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> allocatable(1000, GI, "-1", null));
    }
}
