package dev.berth.node;

import dev.berth.net.PodIps;
import dev.berth.node.probe.ProbeDialer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Connects one pod's httpGet and tcpSocket probes from inside its network namespace: to its pod IP by default, or to
 * 127.0.0.1 when it has none (no pod network, or the host's network), which reaches the same ports from in there.
 */
record PodProbeDialer(PodRuntimePort pods, String podId, Path podDir) implements ProbeDialer {

    @Override
    public String podHost() {
        return PodIps.read(podDir).flatMap(PodIps::primary).orElse("127.0.0.1");
    }

    @Override
    public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
        return pods.connect(podId, address, timeout);
    }
}
