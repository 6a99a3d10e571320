package dev.berth.server;

import dev.berth.config.BerthConfig;
import java.time.Duration;

/**
 * What the daemon's HTTP server grants one client and all of them, so that slow or many clients cannot starve it.
 *
 * @param headerTimeout   a connection's request line and headers must arrive within this of its opening
 * @param bodyTimeout     a request's body must be read, and its answer written, within this of its headers
 * @param idleTimeout     a connection with no bytes in either direction for this long is closed (keep-alive)
 * @param maxConnections  connections open at once; more are closed as they come
 * @param maxConnectionsPerAddress connections open at once from one client address, loopback excepted (a local
 *                        proxy or health checker speaks for every client through it)
 * @param threads         the threads serving requests (a bounded pool); the work waiting for them is bounded by the
 *                        connection cap, an HTTP/1.1 connection having one request at a time (Jetty advises against a
 *                        bounded queue, which would drop its own tasks)
 * @param activeRequests  requests (other than health and readiness) handled at once
 * @param waitingRequests requests waiting for one of those slots, each for at most {@code maxWait}; beyond, 503
 * @param maxWait         how long a request waits for a slot before its 503
 * @param stopTimeout     how long a stop waits for requests in progress
 */
public record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                         int maxConnectionsPerAddress, int threads, int activeRequests,
                         int waitingRequests, Duration maxWait, Duration stopTimeout) {

    public static final HttpLimits DEFAULTS = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), 512, 64, 16, 8, 64, Duration.ofSeconds(2), Duration.ofSeconds(5));

    /** These limits with the config's settings over them. */
    public HttpLimits with(BerthConfig.Server.Limits set) {
        return new HttpLimits(or(set.headerTimeout(), headerTimeout), or(set.bodyTimeout(), bodyTimeout),
                or(set.idleTimeout(), idleTimeout), or(set.maxConnections(), maxConnections),
                or(set.maxConnectionsPerAddress(), maxConnectionsPerAddress), threads,
                or(set.maxRequests(), activeRequests), or(set.maxWaitingRequests(), waitingRequests), maxWait,
                stopTimeout);
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

    public HttpLimits withHeaderTimeout(Duration timeout) {
        return new HttpLimits(timeout, bodyTimeout, idleTimeout, maxConnections, maxConnectionsPerAddress, threads,
                activeRequests, waitingRequests, maxWait, stopTimeout);
    }

    public HttpLimits withBodyTimeout(Duration timeout) {
        return new HttpLimits(headerTimeout, timeout, idleTimeout, maxConnections, maxConnectionsPerAddress, threads,
                activeRequests, waitingRequests, maxWait, stopTimeout);
    }

    public HttpLimits withConnections(int total, int perAddress) {
        return new HttpLimits(headerTimeout, bodyTimeout, idleTimeout, total, perAddress, threads,
                activeRequests, waitingRequests, maxWait, stopTimeout);
    }
}
