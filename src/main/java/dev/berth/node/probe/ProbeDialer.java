package dev.berth.node.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens the connections of one pod's httpGet and tcpSocket probes where the kubelet's would come from: the node opens
 * them inside the pod's network namespace, so that a pod's ports answer with or without a pod network; tests connect
 * to servers of their own on 127.0.0.1.
 */
public interface ProbeDialer {

    /** Where a probe without {@code host} connects: the pod's primary IP, else its loopback address. */
    String podHost();

    /** A connected socket, or an exception as {@link Socket#connect(java.net.SocketAddress, int)} throws it. */
    Socket connect(InetSocketAddress address, Duration timeout) throws IOException;
}
