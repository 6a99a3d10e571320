package dev.berth.node.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/** The kubelet's tcpSocket probe: success iff a TCP connection opens within the timeout; it is closed at once. */
final class TcpSocketProbe {

    private TcpSocketProbe() {}

    static ProbeResult run(ProbeAction.TcpSocket action, Duration timeout, ProbeDialer dialer) {
        String host = action.host() != null ? action.host() : dialer.podHost();
        try (Socket ignored = dial(dialer, host, action.port(), timeout)) {
            return ProbeResult.success("");
        } catch (IOException e) {
            return ProbeResult.failure(e.getMessage());
        }
    }

    /**
     * Connects, or throws an IOException whose message is Go's dial error, as the kubelet reports it:
     * {@code dial tcp 10.88.0.5:8080: connect: connection refused}, {@code dial tcp 10.88.0.5:8080: i/o timeout}.
     */
    static Socket dial(ProbeDialer dialer, String host, int port, Duration timeout) throws IOException {
        String target = "dial tcp " + joinHostPort(host, port) + ": ";
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException(target + "lookup " + host + ": no such host");
        }
        try {
            return dialer.connect(address, timeout);
        } catch (SocketTimeoutException e) {
            throw new IOException(target + "i/o timeout", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException(target + "connect: " + why.substring(0, 1).toLowerCase(Locale.ROOT)
                    + why.substring(1), e);
        }
    }

    /** Go's net.JoinHostPort: an IPv6 address in brackets. */
    static String joinHostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
