package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.core.Quantity;
import dev.berth.manifest.DesiredState;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.scheduler.PriorityClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the node offers pods: the machine's CPUs and memory minus the configured reserve, and its labels (from the
 * config file) for nodeSelector.
 */
public final class NodeResources {

    private final NodeCapacity capacity;

    public NodeResources(NodeCapacity capacity) {
        this.capacity = capacity;
    }

    /** This machine, less {@code reservedCpu}/{@code reservedMemory} (either may be null). */
    public static NodeResources ofMachine(Map<String, String> labels, Quantity reservedCpu, Quantity reservedMemory) {
        long cpuMillis = Runtime.getRuntime().availableProcessors() * 1000L;
        return new NodeResources(NodeCapacity.allocatable(cpuMillis, memTotal(), reservedCpu, reservedMemory,
                labels == null ? Map.of() : labels, List.of()));
    }

    public NodeCapacity capacity() {
        return capacity;
    }

    /** Admission with the PriorityClasses the desired state defines. */
    Admission admission(DesiredState applied) {
        Map<String, Integer> classes = new java.util.HashMap<>();
        for (var m : applied.manifests()) {
            if (m.key().kind().equals("PriorityClass") && m.object().get("value") instanceof Number value) {
                classes.put(m.key().name(), value.intValue());
            }
        }
        return new Admission(capacity, new PriorityClasses(classes));
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot read /proc/meminfo: " + e.getMessage(), e);
        }
        throw new BerthException("/proc/meminfo has no MemTotal");
    }
}
