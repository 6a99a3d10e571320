package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method and path to handlers on one {@code HttpServer} context. The JDK's own contexts match any path
 * prefix ({@code /healthz} would also serve {@code /healthzz}) and know nothing of methods or authentication, so
 * this does exact matching, 404/405 in JSON, the bearer check, and turns a handler's {@link HttpError} (or crash)
 * into a JSON reply; whatever happens, the exchange is closed and the server keeps serving.
 */
public final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** Who may call a route: anyone, or only holders of the API token. */
    public enum Access { PUBLIC, TOKEN }

    private record Route(Access access, HttpHandler handler) {
    }

    private final BearerAuth auth;
    // path -> method -> route; a path ending in "/*" is a subtree (e.g. "/api/v1/pods/*")
    private final Map<String, Map<String, Route>> routes = new ConcurrentHashMap<>();

    public Router(BearerAuth auth) {
        this.auth = auth;
    }

    /** Serves {@code method path} with {@code handler}; {@code path} ending in "/*" serves the whole subtree. */
    public void route(String method, String path, Access access, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        Route previous = routes.computeIfAbsent(path, p -> new ConcurrentHashMap<>())
                .putIfAbsent(method, new Route(access, handler));
        if (previous != null) {
            throw new IllegalStateException(method + " " + path + " is already routed");
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            dispatch(exchange);
        } catch (HttpError e) {
            reply(exchange, e.reply());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply(exchange, Reply.error(500, "internal error: " + e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, Route> methods = lookup(path);
        if (methods == null) {
            throw new HttpError(404, "not found: " + path);
        }
        Route route = methods.get(exchange.getRequestMethod());
        if (route == null) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", new TreeSet<>(methods.keySet())));
            throw new HttpError(405, exchange.getRequestMethod() + " not allowed on " + path);
        }
        if (route.access() == Access.TOKEN && !auth.admit(exchange)) {
            return;
        }
        route.handler().handle(exchange);
    }

    /** The exact path's routes, else those of the deepest subtree holding it. */
    private Map<String, Route> lookup(String path) {
        Map<String, Route> exact = routes.get(path);
        if (exact != null) {
            return exact;
        }
        for (int slash = path.lastIndexOf('/'); slash >= 0; slash = path.lastIndexOf('/', slash - 1)) {
            Map<String, Route> subtree = routes.get(path.substring(0, slash + 1) + "*");
            if (subtree != null) {
                return subtree;
            }
        }
        return null;
    }

    private static void reply(HttpExchange exchange, Reply reply) {
        if (exchange.getResponseCode() > 0) { // not yet sent: -1 for the JDK's exchange, 0 for Jetty's
            LOG.warn("{} {}: {} after the response had begun", exchange.getRequestMethod(), exchange.getRequestURI(),
                    reply.message());
            return;
        }
        try {
            Json.send(exchange, reply);
        } catch (IOException e) {
            LOG.debug("client went away before the reply: {}", e.getMessage());
        }
    }
}
