package dev.berth.net;

import java.nio.file.Path;
import java.util.List;

/**
 * A pod to attach to the network.
 *
 * @param podId     berth's id of the pod (the CNI container id)
 * @param netns     the pod's pinned network namespace file
 * @param hostPorts its containers' ports that ask for a host port
 */
public record PodAttachment(String podId, String namespace, String name, Path netns, List<HostPort> hostPorts) {

    public PodAttachment {
        hostPorts = List.copyOf(hostPorts);
    }

    /**
     * A {@code ports[]} entry with a {@code hostPort}, as portmap takes it.
     *
     * @param protocol "tcp" or "udp"
     * @param hostIP   the host address to publish on; null for all of them
     */
    public record HostPort(int hostPort, int containerPort, String protocol, String hostIP) {}
}
