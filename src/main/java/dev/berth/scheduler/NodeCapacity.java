package dev.berth.scheduler;

import dev.berth.core.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * What the node offers pods: its name, allocatable CPU (millicores), memory (bytes) and extended resources (whole
 * units, e.g. {@code example.com/dongle}), its labels and its taints.
 */
public record NodeCapacity(String name, long cpuMillis, long memoryBytes, Map<String, Long> extendedResources,
        Map<String, String> labels, List<Taint> taints) {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public NodeCapacity {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("allocatable cannot be negative: cpu " + cpuMillis + "m, memory " + memoryBytes);
        }
        name = name == null ? "" : name;
        extendedResources = extendedResources == null ? Map.of() : Map.copyOf(extendedResources);
        if (extendedResources.values().stream().anyMatch(units -> units < 0)) {
            throw new IllegalArgumentException("extended resources cannot be negative: " + extendedResources);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /** An unnamed node with no extended resources. */
    public NodeCapacity(long cpuMillis, long memoryBytes, Map<String, String> labels, List<Taint> taints) {
        this(null, cpuMillis, memoryBytes, null, labels, taints);
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

    /** This node under {@code name}, offering {@code extended} besides CPU and memory. */
    public NodeCapacity named(String name, Map<String, Long> extended) {
        return new NodeCapacity(name, cpuMillis, memoryBytes, extended, labels, taints);
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
