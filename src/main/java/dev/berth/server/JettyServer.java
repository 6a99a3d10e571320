package dev.berth.server;

import com.sun.net.httpserver.HttpServer;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty, set up for a daemon that faces the network: one connector (HTTPS with a TLS context), a bounded thread pool
 * connection caps, header and body deadlines, health answered ahead of the request limit, and a
 * graceful stop. The handlers are the JDK's {@link HttpServer} kind, run by Jetty's implementation of that API
 * ({@link #contexts()}). Handler order: graceful stop, deadlines, health, request limit (QoS), the contexts.
 */
final class JettyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JettyServer.class);
    /** On stop, a kept-alive connection idle this long is closed rather than waited for. */
    private static final long SHUTDOWN_IDLE_MILLIS = 200;

    private final Server server;
    private final ServerConnector connector;
    private final InetSocketAddress address;
    private final JettyHttpServer contexts;
    private final ConnectionCaps caps;
    private final RequestDeadlines deadlines;
    private final RequestLimit requestLimit;

    /** Binds {@code address} now; serves from {@link #start()}. {@code tls} null: plain HTTP. */
    JettyServer(InetSocketAddress address, SSLContext tls, HttpLimits limits, BooleanSupplier ready) {
        this.address = address;
        QueuedThreadPool pool = new QueuedThreadPool(limits.threads(), Math.min(4, limits.threads()));
        pool.setName("berth-http");
        pool.setDaemon(true);
        server = new Server(pool);
        server.setStopTimeout(limits.stopTimeout().toMillis());

        connector = connector(tls);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        // room for every connection the caps allow to arrive at once: the JDK's backlog of 50 drops the SYNs of a
        // burst, and a dropped SYN costs its client a second (the kernel's first retransmit)
        connector.setAcceptQueueSize(limits.maxConnections());
        caps = new ConnectionCaps(limits.maxConnections(), limits.maxConnectionsPerAddress());
        connector.addBean(caps);
        server.addConnector(connector);

        ContextHandlerCollection handlers = new ContextHandlerCollection();
        requestLimit = new RequestLimit(limits, handlers);
        deadlines = new RequestDeadlines(server.getScheduler(), limits,
                new HealthHandler(ready, requestLimit));
        connector.addBean(deadlines.connections());
        GracefulHandler graceful = new GracefulHandler(deadlines);
        graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        server.setHandler(graceful);
        contexts = new JettyHttpServer(server, true);
        try {
            connector.open();
        } catch (IOException e) {
            throw new BerthException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    private ServerConnector connector(SSLContext tls) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        if (tls == null) {
            return new ServerConnector(server, 1, 1, http11);
        }
        // the key manager picks the certificate; Jetty's SNI check knows nothing of it
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls);
        return new ServerConnector(server, 1, 1, new SslConnectionFactory(factory, http11.getProtocol()), http11);
    }

    /** Where handlers are registered, through the JDK's API ({@code createContext}). */
    HttpServer contexts() {
        return contexts;
    }

    /** Connections open now, as the caps count them. */
    int openConnections() {
        return caps.open();
    }

    /** How many connections and requests were refused since the start, by reason (the cap or limit that refused). */
    Map<String, Long> refusals() {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<ThrottledWarning> all = new ArrayList<>(caps.refusals());
        all.addAll(deadlines.refusals());
        all.add(requestLimit.refusals());
        all.forEach(r -> counts.put(r.reason(), r.total()));
        return counts;
    }

    void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new BerthException("cannot start the HTTP server on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The configured address with the bound port. */
    InetSocketAddress address() {
        return new InetSocketAddress(address.getAddress(), connector.getLocalPort());
    }

    /**
     * Stops accepting, lets requests in progress finish within the stop timeout, then closes every connection; a
     * request still running then is cut short, which is logged, not thrown: the daemon goes on stopping.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (TimeoutException e) {
            LOG.warn("HTTP requests still in progress after the stop timeout were cut short");
        } catch (Exception e) {
            throw new BerthException("stopping the HTTP server: " + e.getMessage(), e);
        }
    }
}
