package dev.berth.server;

import static dev.berth.server.Http.message;
import static dev.berth.server.Http.send;
import static dev.berth.server.Http.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, the bearer token and health over a real socket, with stand-ins for the API handlers. */
class ApiServerTest {

    private static final String TOKEN = "api-token-0123456789";

    /** What the stand-in {@code POST /api/v1/echo} reads. */
    record Echo(String text) {
    }

    @TempDir
    Path dir;

    private final AtomicBoolean ready = new AtomicBoolean();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        server = start(Secret.fromFile(tokenFile), false);
    }

    private ApiServer start(Secret token, boolean publicMetrics) {
        ApiServer api = new ApiServer(
                new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), token, publicMetrics, ready::get, null));
        api.route("GET", "/api/v1/status", Router.Access.TOKEN,
                exchange -> Json.send(exchange, 200, Map.of("revision", "9fceb02")));
        api.route("POST", "/api/v1/echo", Router.Access.TOKEN,
                exchange -> Json.send(exchange, 200, Json.read(exchange, 1024, Echo.class)));
        api.route("GET", "/api/v1/pods/*", Router.Access.TOKEN,
                exchange -> Json.send(exchange, 200, Map.of("path", exchange.getRequestURI().getPath())));
        api.route("POST", "/api/v1/suspend", Router.Access.TOKEN, exchange -> {
            throw new HttpError(409, "already suspended");
        });
        api.route("GET", "/crash", Router.Access.PUBLIC, exchange -> {
            throw new IllegalStateException("bug");
        });
        api.metrics(exchange -> {
            byte[] text = "berth_sync_total{result=\"ok\"} 1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        });
        api.start();
        return api;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HttpRequest.Builder request(ApiServer api, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path));
    }

    private HttpRequest.Builder request(String path) {
        return request(server, path);
    }

    @Test
    void healthzNeedsNoToken() throws Exception {
        HttpResponse<String> response = send(request("/healthz"));

        assertEquals(200, response.statusCode());
        assertEquals("ok", status(response));
    }

    @Test
    void readyzFollowsTheSupplier() throws Exception {
        HttpResponse<String> before = send(request("/readyz"));
        ready.set(true);
        HttpResponse<String> after = send(request("/readyz"));

        assertEquals(503, before.statusCode());
        assertEquals("not ready", message(before));
        assertEquals(200, after.statusCode());
    }

    @Test
    void apiRefusesRequestsWithoutTheToken() throws Exception {
        HttpResponse<String> none = send(request("/api/v1/status"));
        HttpResponse<String> wrong = send(request("/api/v1/status").header("Authorization", "Bearer guess"));
        HttpResponse<String> basic = send(request("/api/v1/status").header("Authorization", "Basic " + TOKEN));

        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"berth\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("missing bearer token", message(none));
        assertEquals(401, wrong.statusCode());
        assertEquals("Bearer realm=\"berth\", error=\"invalid_token\"",
                wrong.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, basic.statusCode());
    }

    @Test
    void apiAcceptsTheToken() throws Exception {
        HttpResponse<String> response = send(request("/api/v1/status").header("Authorization", "Bearer " + TOKEN));
        HttpResponse<String> lowercase = send(request("/api/v1/status").header("Authorization", "bearer " + TOKEN));

        assertEquals(200, response.statusCode());
        assertEquals("9fceb02", Http.json(response).path("revision").asString());
        assertEquals(200, lowercase.statusCode());
    }

    @Test
    void metricsNeedTheTokenUnlessPublic() throws Exception {
        assertEquals(401, send(request("/metrics")).statusCode());
        assertEquals(200, send(request("/metrics").header("Authorization", "Bearer " + TOKEN)).statusCode());
        try (ApiServer open = start(Secret.of(TOKEN), true)) {
            HttpResponse<String> response = send(request(open, "/metrics"));
            assertEquals(200, response.statusCode());
            assertTrue(response.body().startsWith("berth_sync_total"), response.body());
            assertEquals(401, send(request(open, "/api/v1/status")).statusCode());
        }
    }

    @Test
    void withoutATokenFileTheApiIsClosed() throws Exception {
        try (ApiServer closed = start(null, false)) {
            HttpResponse<String> response = send(request(closed, "/api/v1/status").header("Authorization",
                    "Bearer "));

            assertEquals(403, response.statusCode());
            assertTrue(message(response).contains("without a token file"), message(response));
            assertEquals(200, send(request(closed, "/healthz")).statusCode());
        }
    }

    @Test
    void routesMatchWholePathsOrDeclaredSubtrees() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> logs = send(request("/api/v1/pods/default/web-1/logs").header("Authorization", auth));

        assertEquals("/api/v1/pods/default/web-1/logs", Http.json(logs).path("path").asString());
        assertEquals(404, send(request("/healthzz")).statusCode());
        assertEquals(404, send(request("/healthz/")).statusCode());
        assertEquals(404, send(request("/api/v1/podsx").header("Authorization", auth)).statusCode());
        HttpResponse<String> post = send(request("/healthz").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void handlerErrorsBecomeJsonAndTheServerGoesOn() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> crash = send(request("/crash"));
        HttpResponse<String> conflict = send(request("/api/v1/suspend").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> malformed = send(request("/api/v1/echo").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": ")));
        HttpResponse<String> echo = send(request("/api/v1/echo").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")));

        assertEquals(500, crash.statusCode());
        assertEquals("internal error: bug", message(crash));
        assertEquals(409, conflict.statusCode());
        assertEquals("already suspended", message(conflict));
        assertEquals(400, malformed.statusCode());
        assertTrue(message(malformed).startsWith("malformed JSON: "), message(malformed));
        assertEquals("hi", Http.json(echo).path("text").asString());
        assertEquals(200, send(request("/healthz")).statusCode());
    }

    @Test
    void aRouteIsRegisteredOnce() {
        assertThrows(IllegalStateException.class, () -> server.route("GET", "/healthz", Router.Access.PUBLIC,
                exchange -> { }));
    }

    @Test
    void aTakenPortIsAClearError() {
        BerthException e = assertThrows(BerthException.class, () -> new ApiServer(
                new ApiServer.Options(server.address(), null, false, () -> true, null)));

        assertTrue(e.getMessage().startsWith("cannot listen on "), e.getMessage());
    }
}
