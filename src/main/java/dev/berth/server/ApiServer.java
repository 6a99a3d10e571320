package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP edge on the JDK's {@code HttpServer} (or {@code HttpsServer} with {@code server.tls}): health and
 * readiness, webhooks, the page's login, and the routes others register (API, metrics, web page). Bind, register,
 * then {@link #start()}; {@link #close()} stops it.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Enough for concurrent API calls and hook deliveries; handlers only read state or queue work. */
    private static final int THREADS = 4;

    /**
     * Where to listen; the API token (null: the API is refused, see {@link BearerAuth}); whether {@code /metrics}
     * is readable without it; whether the daemon is ready (state loaded, first reconcile done); the TLS certificate
     * and key (null: plain HTTP).
     */
    public record Options(InetSocketAddress address, Secret token, boolean publicMetrics, BooleanSupplier ready,
                          BerthConfig.Server.Tls tls) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final PageLogin login;
    private final boolean publicMetrics;

    /**
     * Binds the address (port 0: any free port, see {@link #address()}) but serves nothing until started. A TLS
     * certificate or key that cannot be used fails here, naming the file.
     */
    public ApiServer(Options options) {
        server = bind(options);
        if (options.tls() == null && !server.getAddress().getAddress().isLoopbackAddress()) {
            LOG.warn("listening on {}:{} without TLS: the API token, the page's login and its content cross the "
                    + "network in clear text; set server.tls (cert, key) in the config to serve HTTPS",
                    options.address().getHostString(), server.getAddress().getPort());
        }
        // the JDK's default runs handlers on its single dispatcher thread: one slow client would stall all
        AtomicInteger count = new AtomicInteger();
        executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "berth-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        BearerAuth auth = new BearerAuth(options.token());
        router = new Router(auth);
        server.createContext("/", router);
        publicMetrics = options.publicMetrics();
        login = new PageLogin(auth, new Sessions(Clock.systemUTC()), options.tls() != null);
        route("POST", "/login", Router.Access.PUBLIC, login::logIn);
        route("POST", "/logout", Router.Access.PUBLIC, login::logOut);
        route("GET", "/healthz", Router.Access.PUBLIC,
                exchange -> Json.send(exchange, new Reply(200, "ok", "alive")));
        route("GET", "/readyz", Router.Access.PUBLIC, exchange -> Json.send(exchange,
                options.ready().getAsBoolean() ? new Reply(200, "ok", "ready") : new Reply(503, "unavailable",
                        "not ready")));
    }

    private static HttpServer bind(Options options) {
        // the key pair first: a bad file is the error to report, not a port bound for nothing
        ReloadingKeyManager keys = options.tls() == null ? null : new ReloadingKeyManager(options.tls());
        try {
            if (keys == null) {
                return HttpServer.create(options.address(), 0);
            }
            HttpsServer https = HttpsServer.create(options.address(), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(keys.context()));
            return https;
        } catch (IOException e) {
            throw new BerthException("cannot listen on " + options.address() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the request may see the page's content: it carries the API token, or the cookie of a login. For the
     * page only: the API keeps to the bearer token (see {@link PageLogin}).
     */
    public boolean signedIn(HttpExchange exchange) {
        return login.signedIn(exchange);
    }

    /** Whether the page offers a login: only with a token to log in with. */
    public boolean loginEnabled() {
        return login.enabled();
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
