package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.berth.config.BerthConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP edge, on Jetty ({@link JettyServer}: time limits, connection caps, a bounded pool, graceful stop),
 * HTTPS with {@code server.tls}: health and readiness, webhooks, the page's login, and the routes others register (API,
 * metrics, web page) as the JDK's {@code HttpHandler}s. Bind, register, then {@link #start()}; {@link #close()} stops it.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * Where to listen; the API token (null: the API is refused, see {@link BearerAuth}); whether {@code /metrics}
     * is readable without it; whether the daemon is ready (state loaded, first reconcile done); the TLS certificate
     * and key (null: plain HTTP); the server's time limits and caps.
     */
    public record Options(InetSocketAddress address, Secret token, boolean publicMetrics, BooleanSupplier ready,
                          BerthConfig.Server.Tls tls, HttpLimits limits) {

        public Options(InetSocketAddress address, Secret token, boolean publicMetrics, BooleanSupplier ready,
                       BerthConfig.Server.Tls tls) {
            this(address, token, publicMetrics, ready, tls, HttpLimits.DEFAULTS);
        }
    }

    private final JettyServer server;
    private final Router router;
    private final PageLogin login;
    private final boolean publicMetrics;

    /**
     * Binds the address (port 0: any free port, see {@link #address()}) but serves nothing until started. A TLS
     * certificate or key that cannot be used fails here, naming the file.
     */
    public ApiServer(Options options) {
        // the key pair first: a bad file is the error to report, not a port bound for nothing
        ReloadingKeyManager keys = options.tls() == null ? null : new ReloadingKeyManager(options.tls());
        server = new JettyServer(options.address(), keys == null ? null : keys.context(), options.limits(),
                options.ready());
        if (options.tls() == null && !server.address().getAddress().isLoopbackAddress()) {
            LOG.warn("listening on {}:{} without TLS: the API token, the page's login and its content cross the "
                    + "network in clear text; set server.tls (cert, key) in the config to serve HTTPS",
                    options.address().getHostString(), server.address().getPort());
        }
        BearerAuth auth = new BearerAuth(options.token());
        router = new Router(auth);
        server.contexts().createContext("/", router);
        publicMetrics = options.publicMetrics();
        login = new PageLogin(auth, new Sessions(Clock.systemUTC()), options.tls() != null);
        route("POST", "/login", Router.Access.PUBLIC, login::logIn);
        route("POST", "/logout", Router.Access.PUBLIC, login::logOut);
        // answered by HealthHandler ahead of the request limit; routed here too for their 405 on other methods
        route("GET", "/healthz", Router.Access.PUBLIC, exchange -> Json.send(exchange, HealthHandler.ALIVE));
        route("GET", "/readyz", Router.Access.PUBLIC, exchange -> Json.send(exchange,
                options.ready().getAsBoolean() ? HealthHandler.READY : HealthHandler.NOT_READY));
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

    /** Connections and requests refused since the start, by the cap or limit that refused them (for the metrics). */
    public Map<String, Long> refusals() {
        return server.refusals();
    }

    public void start() {
        server.start();
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Stops accepting, lets requests in progress finish within the limits' stop timeout, then closes. */
    @Override
    public void close() {
        long start = System.nanoTime();
        server.close();
        LOG.info("HTTP server stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
