package dev.berth.server;

import static dev.berth.server.Http.message;
import static dev.berth.server.Http.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sync.Applier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page at {@code /} over a real socket: a guest sees health, never content (a pending ConfigMap value, the
 * source's credentials, error texts); a token holder logs in once and the cookie shows it all, but opens no API.
 */
class PageLoginTest {

    private static final String TOKEN = "page-token-0123456789";
    private static final String ERROR_DETAIL = "error-detail-5c2b";

    @TempDir
    Path dir;
    private PendingChange node;
    private WatchStatus daemon;
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        node = new PendingChange(dir);
        daemon = new WatchStatus(new Metrics(node.layout, node.pods), node.layout);
        // a policy stood in for: the change is held back, and its plan is the last one computed
        daemon.applied(new Applier.Outcome(node.plan(), "Denied", null));
        daemon.failed("poll", "an error whose text may quote content: " + ERROR_DETAIL);
        api = start(Secret.of(TOKEN));
    }

    private ApiServer start(Secret token) {
        ApiServer server = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), token, false,
                () -> true, null));
        new ApiRoutes(node.layout, node.pods, daemon, null).register(server, null);
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        api.close();
        node.close();
    }

    private HttpRequest.Builder request(ApiServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    }

    private HttpRequest.Builder request(String path) {
        return request(api, path);
    }

    private HttpResponse<String> logIn(String token) throws Exception {
        return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token,
                        java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** {@code berth_session=...}, as a browser sends the cookie back. */
    private static String sessionCookie(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aGuestSeesHealthButNoContent() throws Exception {
        HttpResponse<String> page = send(request("/"));

        assertEquals(200, page.statusCode());
        String html = page.body();
        assertFalse(html.contains(PendingChange.VALUE), "the pending ConfigMap value is not shown to a guest:\n" + html);
        assertFalse(html.contains(PendingChange.URL_PASSWORD), html);
        assertFalse(html.contains("id=\"diff\""), html);
        assertFalse(html.contains(ERROR_DETAIL), "no error text: " + html);
        assertTrue(html.contains("<td>ConfigMap</td><td>default</td><td>settings</td><td class=\"Healthy\">"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/login\" id=\"login\">"), html);
        assertTrue(html.contains("Last error: (log in to read it)"), html);
        assertFalse(html.contains("http-equiv=\"refresh\""), "no refresh while a guest may be typing the token");
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("frame-ancestors 'none'"));
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieThatShowsTheContent() throws Exception {
        HttpResponse<String> login = logIn(TOKEN);

        assertEquals(303, login.statusCode());
        assertEquals("/", login.headers().firstValue("Location").orElseThrow());
        List<String> attributes = List.of(login.headers().firstValue("Set-Cookie").orElseThrow().split("; "));
        assertTrue(attributes.get(0).matches("berth_session=[A-Za-z0-9_-]{43}"), attributes.toString());
        assertTrue(attributes.containsAll(List.of("Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200")),
                attributes.toString());
        assertFalse(attributes.contains("Secure"), "plain HTTP: a Secure cookie would never come back");

        String html = send(request("/").header("Cookie", "theme=dark; " + sessionCookie(login))).body();
        assertTrue(html.contains(PendingChange.VALUE), "the pending change, with the cookie:\n" + html);
        assertTrue(html.contains(PendingChange.URL_PASSWORD), "the source as recorded");
        assertTrue(html.contains(ERROR_DETAIL), html);
        assertTrue(html.contains("<pre id=\"diff\">"), html);
        assertTrue(html.contains("action=\"/logout\""), html);
    }

    @Test
    void aWrongTokenIs401AndNoCookie() throws Exception {
        HttpResponse<String> wrong = logIn("guess");
        HttpResponse<String> empty = send(request("/login").POST(HttpRequest.BodyPublishers.ofString("")));

        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), wrong.headers().toString());
        assertTrue(wrong.body().contains("That is not the API token."), wrong.body());
        assertEquals(401, empty.statusCode());
        assertTrue(empty.headers().firstValue("Set-Cookie").isEmpty());
        String guessed = send(request("/").header("Cookie", "berth_session=guess")).body();
        assertFalse(guessed.contains(PendingChange.VALUE), "a made-up session shows nothing");
    }

    @Test
    void theCookieOpensThePageButNotTheApi() throws Exception {
        String cookie = sessionCookie(logIn(TOKEN));

        HttpResponse<String> plan = send(request("/api/v1/plan").header("Cookie", cookie));
        HttpResponse<String> sync = send(request("/api/v1/sync").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertEquals(401, plan.statusCode());
        assertEquals(401, sync.statusCode(), "a cross-site form post riding the cookie syncs nothing");
        assertEquals("missing bearer token", message(sync));
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        String cookie = sessionCookie(logIn(TOKEN));

        HttpResponse<String> logout = send(request("/logout").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertEquals(303, logout.statusCode());
        assertTrue(logout.headers().firstValue("Set-Cookie").orElseThrow().startsWith("berth_session=; Path=/; Max-Age=0"));
        assertFalse(send(request("/").header("Cookie", cookie)).body().contains(PendingChange.VALUE),
                "the old cookie shows nothing once logged out");
    }

    @Test
    void theBearerTokenShowsThePageToo() throws Exception {
        String html = send(request("/").header("Authorization", "Bearer " + TOKEN)).body();

        assertTrue(html.contains(PendingChange.VALUE), html);
    }

    @Test
    void withoutATokenThereIsNoLogin() throws Exception {
        try (ApiServer closed = start(null)) {
            String html = send(request(closed, "/")).body();
            HttpResponse<String> login = send(request(closed, "/login")
                    .POST(HttpRequest.BodyPublishers.ofString("token=")));

            assertFalse(html.contains("action=\"/login\""), html);
            assertTrue(html.contains("this daemon has none"), html);
            assertFalse(html.contains(PendingChange.VALUE), html);
            assertEquals(403, login.statusCode());
            assertTrue(login.headers().firstValue("Set-Cookie").isEmpty());
        }
    }
}
