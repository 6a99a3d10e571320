package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * The API's authentication: {@code Authorization: Bearer <token>}, compared in constant time. Without a configured
 * token the API stays closed (403) rather than open: a forgotten {@code --token-file} must not expose sync and
 * suspend to anyone who can reach the port.
 */
public final class BearerAuth {

    private static final String SCHEME = "Bearer ";

    private final Secret token;

    /** {@code token} null: no token configured, every authenticated request is refused. */
    public BearerAuth(Secret token) {
        this.token = token;
    }

    /** True when the request carries the token; otherwise answers 401 (or 403 without a token) and returns false. */
    public boolean admit(HttpExchange exchange) throws IOException {
        if (token == null) {
            Json.send(exchange, Reply.error(403, "the API is disabled: berth watch was started without a token file"));
            return false;
        }
        if (carries(exchange)) {
            return true;
        }
        boolean bearer = offered(exchange) != null;
        // RFC 6750: the challenge names the scheme, and says invalid_token when a token was offered but is wrong
        exchange.getResponseHeaders().set("WWW-Authenticate",
                bearer ? "Bearer realm=\"berth\", error=\"invalid_token\"" : "Bearer realm=\"berth\"");
        Json.send(exchange, Reply.error(401, bearer ? "invalid bearer token" : "missing bearer token"));
        return false;
    }

    /** Whether a token is configured at all. */
    public boolean configured() {
        return token != null;
    }

    /** Whether the request's {@code Authorization} header carries the token; answers nothing either way. */
    public boolean carries(HttpExchange exchange) {
        return matches(offered(exchange));
    }

    /** Whether {@code candidate} is the token, in constant time; false without a configured token. */
    public boolean matches(String candidate) {
        return token != null && token.matches(candidate);
    }

    /** The token after "Bearer " in the request; null when there is no bearer header. */
    private static String offered(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        return bearer ? header.substring(SCHEME.length()).trim() : null;
    }
}
