package dev.berth.scheduler;

import dev.berth.core.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** What the node offers pods: allocatable CPU (millicores) and memory (bytes), its labels and its taints. */
public record NodeCapacity(long cpuMillis, long memoryBytes, Map<String, String> labels, List<Taint> taints) {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public NodeCapacity {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("allocatable cannot be negative: cpu " + cpuMillis + "m, memory " + memoryBytes);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /**
     * Allocatable as the kubelet computes it: the machine's capacity minus what is reserved for the system, never
     * below zero. A null reserve reserves nothing; reserves round up, so a fraction never hands out more than exists.
     */
    public static NodeCapacity allocatable(long machineCpuMillis, long machineMemoryBytes, Quantity reservedCpu,
            Quantity reservedMemory, Map<String, String> labels, List<Taint> taints) {
        long cpu = machineCpuMillis - wholeUnits(reservedCpu, THOUSAND, "cpu");
        long memory = machineMemoryBytes - wholeUnits(reservedMemory, BigDecimal.ONE, "memory");
        return new NodeCapacity(Math.max(0, cpu), Math.max(0, memory), labels, taints);
    }

    private static long wholeUnits(Quantity reserved, BigDecimal perUnit, String what) {
        if (reserved == null) {
            return 0;
        }
        if (reserved.value().signum() < 0) {
            throw new IllegalArgumentException("reserved " + what + " cannot be negative: " + reserved);
        }
        BigDecimal units = reserved.value().multiply(perUnit).setScale(0, RoundingMode.CEILING);
        // A reserve beyond any machine simply leaves nothing allocatable.
        return units.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : units.longValueExact();
    }
}
