package dev.berth.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections open at once, in all and per client address (loopback excepted: behind a local proxy every
 * client has its address). A connection over a cap is closed as it opens, before it costs a buffer or a thread.
 */
final class ConnectionCaps implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCaps.class);

    /** Whether a new connection may stay, and if not which cap it hit. */
    enum Verdict { ADMITTED, OVER_TOTAL, OVER_ADDRESS }

    private final int total;
    private final int perAddress;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>(); // guarded by this for the sum
    private final Map<Connection, InetAddress> admitted = new ConcurrentHashMap<>();
    private final ThrottledWarning overTotal;
    private final ThrottledWarning overAddress;
    private int count; // guarded by this

    ConnectionCaps(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
        this.overTotal = new ThrottledWarning(LOG, "connections_total", "connection",
                "refused: " + total + " connections open, the most allowed");
        this.overAddress = new ThrottledWarning(LOG, "connections_per_address", "connection",
                "refused: " + perAddress + " connections open from their address, the most allowed from one");
    }

    /** Counts a connection from {@code address} in, unless a cap is reached. */
    synchronized Verdict admit(InetAddress address) {
        if (count >= total) {
            return Verdict.OVER_TOTAL;
        }
        boolean capped = !address.isLoopbackAddress();
        if (capped && open.getOrDefault(address, 0) >= perAddress) {
            return Verdict.OVER_ADDRESS;
        }
        count++;
        open.merge(address, 1, Integer::sum);
        return Verdict.ADMITTED;
    }

    /** Counts out a connection that {@link #admit} let in. */
    synchronized void release(InetAddress address) {
        count--;
        open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /** The connections refused, by cap. */
    List<ThrottledWarning> refusals() {
        return List.of(overTotal, overAddress);
    }

    synchronized int open() {
        return count;
    }

    @Override
    public void onOpened(Connection connection) {
        // with TLS, the encrypted connection and the HTTP one inside it both open: count the HTTP one
        if (connection instanceof SslConnection) {
            return;
        }
        InetAddress address = address(connection.getEndPoint().getRemoteSocketAddress());
        Verdict verdict = admit(address);
        if (verdict == Verdict.ADMITTED) {
            admitted.put(connection, address);
            return;
        }
        (verdict == Verdict.OVER_TOTAL ? overTotal : overAddress).happened("from " + address.getHostAddress());
        connection.getEndPoint().close();
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = admitted.remove(connection);
        if (address != null) {
            release(address);
        }
    }

    private static InetAddress address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress(); // a Unix socket: local by nature
    }
}
