package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in to the page at {@code /}: a token holder posts the API token once ({@code POST /login}, the page's form)
 * and gets a session cookie ({@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure} under TLS) that shows the
 * page's content. The cookie opens the page only, never the API: {@code /api/v1} still wants the bearer header, so a
 * page on another site cannot make a logged-in browser sync or suspend (CSRF).
 */
final class PageLogin {

    private static final String COOKIE = "berth_session";
    private static final Logger LOG = LoggerFactory.getLogger(PageLogin.class);
    /** A form with one token field; anything larger is not our page's. */
    private static final int FORM_LIMIT = 4096;

    private final BearerAuth auth;
    private final Sessions sessions;
    private final boolean secure;

    /** @param secure the server speaks TLS: the cookie is then never sent over plain HTTP */
    PageLogin(BearerAuth auth, Sessions sessions, boolean secure) {
        this.auth = auth;
        this.sessions = sessions;
        this.secure = secure;
    }

    /** Whether there is a token to log in with. */
    boolean enabled() {
        return auth.configured();
    }

    /** Whether the request may see the page's content: a live session cookie, or the API token itself. */
    boolean signedIn(HttpExchange exchange) {
        return auth.carries(exchange) || sessions.valid(sessionId(exchange));
    }

    void logIn(HttpExchange exchange) throws IOException {
        if (!enabled()) {
            throw new HttpError(403, "logging in is disabled: berth watch was started without a token file");
        }
        String form = new String(BoundedBody.read(exchange, FORM_LIMIT), StandardCharsets.UTF_8);
        if (!auth.matches(UrlForm.decode(form).get("token"))) {
            LOG.warn("a login to the page with a wrong token, from {}", exchange.getRemoteAddress().getAddress());
            WebPage.send(exchange, 401, WebPage.loginRefused());
            return;
        }
        exchange.getResponseHeaders().add("Set-Cookie", cookie(sessions.open(), Sessions.LIFETIME));
        home(exchange);
    }

    void logOut(HttpExchange exchange) throws IOException {
        sessions.close(sessionId(exchange));
        exchange.getResponseHeaders().add("Set-Cookie", cookie("", Duration.ZERO));
        home(exchange);
    }

    private String cookie(String value, Duration maxAge) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** 303: the browser GETs the page after the POST, so a reload does not post the token again. */
    private static void home(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Location", "/");
        exchange.sendResponseHeaders(303, -1);
    }

    /** The session cookie's value among the request's cookies ({@code Cookie: a=1; berth_session=...}); null if none. */
    private static String sessionId(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : headers) {
            for (String pair : header.split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE)) {
                    return kv[1];
                }
            }
        }
        return null;
    }
}
