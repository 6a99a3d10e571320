package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.core.Quantity;
import dev.berth.manifest.DesiredState;
import dev.berth.scheduler.HostPort;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.scheduler.PriorityClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the node offers pods: the machine's CPUs and memory minus the configured reserve, the extended resources the
 * config declares, and its labels for nodeSelector and node affinity: those a kubelet sets itself
 * ({@code kubernetes.io/hostname}, {@code kubernetes.io/os}, {@code kubernetes.io/arch}) under the config's.
 */
public final class NodeResources {

    private final NodeCapacity capacity;
    private final Supplier<List<HostPort>> listening;

    /** @param listening the ports host processes listen on now, which pods' host ports must not take */
    public NodeResources(NodeCapacity capacity, Supplier<List<HostPort>> listening) {
        this.capacity = capacity;
        this.listening = listening;
    }

    /** A node on which no host process listens: for tests. */
    public NodeResources(NodeCapacity capacity) {
        this(capacity, List::of);
    }

    /**
     * This machine, less {@code reservedCpu}/{@code reservedMemory} (either may be null), offering {@code extended}
     * (e.g. {@code example.com/dongle: 4}). The node is named after the host, as a kubelet names it.
     */
    public static NodeResources ofMachine(Map<String, String> labels, Quantity reservedCpu, Quantity reservedMemory,
            Map<String, Long> extended) {
        long cpuMillis = Runtime.getRuntime().availableProcessors() * 1000L;
        String name = hostname();
        return new NodeResources(NodeCapacity.allocatable(cpuMillis, memTotal(), reservedCpu, reservedMemory,
                wellKnownLabels(name, labels), List.of()).named(name, extended), ListeningSockets::read);
    }

    /** The kubelet's own labels; configured labels are set after them and win, as the kubelet's --node-labels do. */
    static Map<String, String> wellKnownLabels(String name, Map<String, String> configured) {
        Map<String, String> labels = new HashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", goArch(System.getProperty("os.arch")));
        labels.putAll(configured == null ? Map.of() : configured);
        return labels;
    }

    /** Kubernetes names architectures as Go does. */
    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "aarch64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            default -> javaArch; // amd64, arm64, ppc64le, s390x, riscv64 are spelled alike
        };
    }

    /** The kernel's host name in lower case, as the kubelet takes it for the node's name. */
    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new BerthException("cannot read /proc/sys/kernel/hostname: " + e.getMessage(), e);
        }
    }

    public NodeCapacity capacity() {
        return capacity;
    }

    /** Admission with the PriorityClasses the desired state defines. */
    Admission admission(DesiredState applied) {
        Map<String, Integer> classes = new HashMap<>();
        for (var m : applied.manifests()) {
            if (m.key().kind().equals("PriorityClass") && m.object().get("value") instanceof Number value) {
                classes.put(m.key().name(), value.intValue());
            }
        }
        return new Admission(capacity, new PriorityClasses(classes), listening);
    }

    /** The machine's memory, in bytes. */
    static long memTotal() {
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
