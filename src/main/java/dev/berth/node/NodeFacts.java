package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.core.Quantity;
import dev.berth.scheduler.NodeCapacity;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the downward API tells a pod about its node: the node's name (the host name, as a kubelet names its node), its
 * primary address, and what it can allocate, which a container without a limit is told as its limit.
 *
 * @param hostIPs the primary address first: that of the interface of the default route
 */
public record NodeFacts(String name, List<String> hostIPs, long cpuMillis, long memoryBytes, long ephemeralStorageBytes) {

    public NodeFacts {
        hostIPs = List.copyOf(hostIPs);
    }

    /** This machine, less the configured reserve (either may be null); ephemeral storage is the state root's filesystem. */
    public static NodeFacts ofMachine(Quantity reservedCpu, Quantity reservedMemory, Path stateRoot) {
        NodeCapacity allocatable = NodeCapacity.allocatable(Runtime.getRuntime().availableProcessors() * 1000L,
                NodeResources.memTotal(), reservedCpu, reservedMemory, null, null);
        return new NodeFacts(NodeResources.hostname(), primaryAddress().map(List::of).orElse(List.of()),
                allocatable.cpuMillis(), allocatable.memoryBytes(), filesystemSize(stateRoot));
    }

    /** The IPv4 address of the default route's interface, else of the first interface up that is not loopback. */
    static Optional<String> primaryAddress() {
        try {
            Optional<String> routed = defaultRouteInterface().map(NodeFacts::interfaceNamed).flatMap(NodeFacts::ipv4);
            if (routed.isPresent()) {
                return routed;
            }
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    Optional<String> address = ipv4(nic);
                    if (address.isPresent()) {
                        return address;
                    }
                }
            }
            return Optional.empty();
        } catch (SocketException e) {
            throw new BerthException("cannot list the network interfaces: " + e.getMessage(), e);
        }
    }

    /** The interface of the default IPv4 route, from /proc/net/route (destination 00000000). */
    private static Optional<String> defaultRouteInterface() {
        try {
            return Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 1 && f[1].equals("00000000")).map(f -> f[0]).findFirst();
        } catch (IOException e) {
            return Optional.empty(); // no IPv4 routing table: fall back to the interfaces
        }
    }

    private static NetworkInterface interfaceNamed(String name) {
        try {
            return NetworkInterface.getByName(name);
        } catch (SocketException e) {
            return null;
        }
    }

    private static Optional<String> ipv4(NetworkInterface nic) {
        return nic == null ? Optional.empty() : Collections.list(nic.getInetAddresses()).stream()
                .filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst();
    }

    /** The kubelet's ephemeral-storage capacity: the size of the filesystem its root is on. */
    private static long filesystemSize(Path stateRoot) {
        Path existing = stateRoot.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? 0 : Files.getFileStore(existing).getTotalSpace();
        } catch (IOException e) {
            throw new BerthException("cannot read the size of the filesystem of " + stateRoot + ": " + e.getMessage(), e);
        }
    }
}
