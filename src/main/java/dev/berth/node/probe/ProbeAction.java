package dev.berth.node.probe;

import java.util.List;

/** What one probe does: run a command in the container, GET a URL of the pod, or open a TCP connection to it. */
public sealed interface ProbeAction {

    /** @param command run in the container; exit code 0 is success */
    record Exec(List<String> command) implements ProbeAction {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /**
     * @param scheme  {@code http} or {@code https} (not verified, as the kubelet does not)
     * @param host    null: the pod's own address
     * @param port    a number, named ports resolved
     * @param path    with its leading slash, and its query if any
     * @param headers as written, in order; a {@code Host} header sets the request's Host
     */
    record HttpGet(String scheme, String host, int port, String path, List<Header> headers) implements ProbeAction {
        public HttpGet {
            headers = List.copyOf(headers);
        }
    }

    record Header(String name, String value) {}

    /** @param host null: the pod's own address */
    record TcpSocket(String host, int port) implements ProbeAction {}
}
