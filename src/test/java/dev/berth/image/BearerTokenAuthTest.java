package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's token flow against a fake registry with its own token service, as Docker Hub and GHCR do it. */
class BearerTokenAuthTest {

    private static final String MANIFEST = "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}";

    private HttpServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private String realm;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        realm = "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void token(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString("robot:letmein".getBytes(StandardCharsets.UTF_8));
        boolean scoped = exchange.getRequestURI().getQuery().contains("scope=repository:team/app:pull")
                && exchange.getRequestURI().getQuery().contains("service=fake");
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization")) || !scoped) {
            send(exchange, 401, "{}");
            return;
        }
        tokensIssued.incrementAndGet();
        send(exchange, 200, "{\"token\":\"t0ken\"}");
    }

    private void registry(HttpExchange exchange) throws IOException {
        if (!"Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().add("WWW-Authenticate",
                    "Bearer realm=\"" + realm + "\",service=\"fake\",scope=\"repository:team/app:pull\"");
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
        send(exchange, 200, MANIFEST);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private RegistryClient client(String userColonPassword) throws IOException {
        Path file = dir.resolve("auth.json");
        String host = "127.0.0.1:" + server.getAddress().getPort();
        Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        return new RegistryClient(DockerAuthFile.load(file));
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void fetchesATokenWithCredentialsOnceAndReusesItForTheScope() throws IOException {
        RegistryClient client = client("robot:letmein");
        RegistryClient.Manifest first = client.manifest(endpoint(), "team/app", "1", null, RegistryHosts.DEFAULT_TIMEOUT);
        client.manifest(endpoint(), "team/app", "2", null, RegistryHosts.DEFAULT_TIMEOUT);
        assertEquals(MANIFEST, new String(first.bytes(), StandardCharsets.UTF_8));
        assertEquals(MediaTypes.OCI_MANIFEST, first.mediaType());
        assertEquals(1, tokensIssued.get());
    }

    @Test
    void refusedCredentialsAreAnUnauthorizedErrorWithoutTheSecret() throws IOException {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client("robot:guess").manifest(endpoint(), "team/app", "1", null, RegistryHosts.DEFAULT_TIMEOUT));
        assertEquals(RegistryException.Reason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().startsWith("unauthorized: token service 127.0.0.1 refused the credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("guess"));
    }
}
