package dev.berth.server;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The daemon's HTTP edge on the JDK's {@code HttpServer}: health and readiness, webhooks, and the routes others
 * register (API, metrics, web page). Bind, register, then {@link #start()}; {@link #close()} stops it.
 */
public final class ApiServer implements AutoCloseable {

    /** Enough for concurrent API calls and hook deliveries; handlers only read state or queue work. */
    private static final int THREADS = 4;

    /**
     * Where to listen; the API token (null: the API is refused, see {@link BearerAuth}); whether {@code /metrics}
     * is readable without it; and whether the daemon is ready (state loaded, first reconcile done).
     */
    public record Options(InetSocketAddress address, Secret token, boolean publicMetrics, BooleanSupplier ready) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final boolean publicMetrics;

    /** Binds the address (port 0: any free port, see {@link #address()}) but serves nothing until started. */
    public ApiServer(Options options) {
        try {
            server = HttpServer.create(options.address(), 0);
        } catch (IOException e) {
            throw new BerthException("cannot listen on " + options.address() + ": " + e.getMessage(), e);
        }
        // the JDK's default runs handlers on its single dispatcher thread: one slow client would stall all
        AtomicInteger count = new AtomicInteger();
        executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "berth-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        router = new Router(new BearerAuth(options.token()));
        server.createContext("/", router);
        publicMetrics = options.publicMetrics();
        route("GET", "/healthz", Router.Access.PUBLIC,
                exchange -> Json.send(exchange, new Reply(200, "ok", "alive")));
        route("GET", "/readyz", Router.Access.PUBLIC, exchange -> Json.send(exchange,
                options.ready().getAsBoolean() ? new Reply(200, "ok", "ready") : new Reply(503, "unavailable",
                        "not ready")));
    }

    /** Serves {@code method path} (a path ending in "/*" serves its subtree); see {@link Router#route}. */
    public void route(String method, String path, Router.Access access, HttpHandler handler) {
        router.route(method, path, access, handler);
    }

    /** Serves {@code GET /metrics}, public or behind the token as the options say. */
    public void metrics(HttpHandler handler) {
        route("GET", "/metrics", publicMetrics ? Router.Access.PUBLIC : Router.Access.TOKEN, handler);
    }

    /**
     * Serves {@code POST /hooks/<provider>} for every provider; the hooks authenticate by their own signatures,
     * not the API token. Bodies over {@code bodyLimit} bytes get 413.
     */
    public void webhooks(WebhookReceiver receiver, int bodyLimit) {
        for (HookProvider provider : HookProvider.values()) {
            route("POST", "/hooks/" + provider.pathName(), Router.Access.PUBLIC,
                    receiver.handler(provider, bodyLimit));
        }
    }

    public void start() {
        server.start();
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting, lets exchanges in progress finish for up to a second, then stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
