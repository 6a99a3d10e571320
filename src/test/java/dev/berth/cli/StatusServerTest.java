package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.ServerStatus;
import dev.berth.inspect.StatusText;
import dev.berth.node.PodObserver;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.server.ApiRoutes;
import dev.berth.server.ApiServer;
import dev.berth.server.Secret;
import dev.berth.server.WatchStatus;
import dev.berth.testing.CliRun;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth status --server URL} against the daemon's real API on a state root: the tables {@code berth status}
 * prints on that root, with the daemon's own lines; the token comes from {@code $BERTH_TOKEN}, so those runs are
 * a JVM of their own.
 */
class StatusServerTest {

    private static final String TOKEN = "status-api-token-0123";

    @TempDir
    Path tmp;
    NodeState node;
    WatchStatus daemon;
    ApiServer api;
    URI url;
    /** Ages are taken 10 s into their minute, so that a slow run still prints the same age. */
    Instant now = Instant.now();

    @BeforeEach
    void startTheApi() {
        node = new NodeState(tmp.resolve("state"));
        daemon = new WatchStatus(null, node.layout);
        api = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), false,
                () -> true, null));
        PodObserver pods = new PodObserver(node.layout, new ContainerRuntime(new RuntimeLayout(tmp.resolve("run"))));
        new ApiRoutes(node.layout, pods, daemon, null).register(api, null);
        api.start();
        url = URI.create("http://127.0.0.1:" + api.address().getPort());
    }

    @AfterEach
    void stopTheApi() {
        api.close();
    }

    Instant ago(int minutes) {
        return NodeState.ago(now, minutes);
    }

    /** Objects healthy, degraded and failing, a crash-looping pod of a Deployment. */
    void appliedNode() {
        node.appliedShop(now, "applied 3 changes");
    }

    CliRun status(String token, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("status", "--server", url.toString()));
        all.addAll(List.of(args));
        return CliRun.withEnvironment(Map.of("BERTH_TOKEN", token), all.toArray(String[]::new));
    }

    @Test
    void textIsTheNodesStatusWithTheDaemonsLines() throws Exception {
        appliedNode();
        daemon.suspend(true);
        CliRun remote = status(TOKEN);
        assertEquals(0, remote.exitCode(), remote::toString);
        String local = node.run("status").out();
        String tables = local.substring(local.indexOf("\n\n") + 1);
        assertEquals("""
                Server:     %s, no reconcile yet
                Source:     /srv/ops.git, ref main, path deploy
                Revision:   0123456789ab, applied %s (20m ago)
                Result:     Synced: applied 3 changes
                Sync:       OutOfSync (1 object not healthy; 1 object failing to converge)
                Suspended:  yes: no reconciles until resumed (POST /api/v1/resume)
                """.formatted(url, ago(20).truncatedTo(ChronoUnit.SECONDS)) + tables, remote.out());
    }

    @Test
    void jsonIsTheServersAnswerWithTheNodesStatusInside() throws Exception {
        appliedNode();
        CliRun remote = status(TOKEN, "-o", "json");
        assertEquals(0, remote.exitCode(), remote::toString);
        Map<String, Object> json = remote.json();
        Map<String, Object> local = node.run("status", "-o", "json").json();
        assertEquals(local, json.get("node"));
        assertEquals(false, json.get("suspended"));
        assertEquals(null, json.get("refusedRevision"));
        assertEquals(null, json.get("lastError"));
    }

    @Test
    void aWrongTokenIsRefusedWithAHint() throws Exception {
        CliRun remote = status("not-the-token");
        assertEquals(ExitCodes.ERROR, remote.exitCode(), remote::toString);
        assertEquals("error: " + url + "/api/v1/status answered 401 (BERTH_TOKEN is not the server's API token)\n",
                remote.err());
        assertEquals("", remote.out());
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        CliRun run = CliRun.of("status", "--server", "http://127.0.0.1:" + port);
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertEquals("error: cannot reach http://127.0.0.1:" + port + "/api/v1/status: connection refused\n", run.err());

        CliRun noScheme = CliRun.of("status", "--server", "node1:7420");
        assertEquals(ExitCodes.ERROR, noScheme.exitCode(), noScheme::toString);
        assertEquals("error: expected the server as https://HOST:PORT (or http://), got \"node1:7420\"\n", noScheme.err());
    }

    @Test
    void anAnswerThatIsNotBerthsStatusIsOneLine() throws Exception {
        HttpServer page = answering("<html>berth</html>");
        HttpServer other = answering("{\"revision\": \"9fceb02\"}");
        try {
            String pageUrl = "http://127.0.0.1:" + page.getAddress().getPort();
            CliRun html = CliRun.of("status", "--server", pageUrl);
            assertEquals(ExitCodes.ERROR, html.exitCode(), html::toString);
            assertTrue(html.err().startsWith("error: " + pageUrl + "/api/v1/status did not answer with JSON (is it a "
                    + "berth watch?): "), html.err());
            assertEquals(1, html.err().lines().count(), html.err());

            CliRun json = CliRun.of("status", "-o", "json", "--server", "http://127.0.0.1:" + other.getAddress().getPort());
            assertEquals(ExitCodes.ERROR, json.exitCode(), json::toString);
            assertEquals("error: the server's status is not one berth can read: no \"node\" object\n", json.err());
            assertEquals("", json.out());
        } finally {
            page.stop(0);
            other.stop(0);
        }
    }

    private static HttpServer answering(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    /** What the daemon alone knows, drawn from a status with nothing applied: its last reconcile, a refusal, the error. */
    @Test
    void aRefusedCommitAndTheLastErrorAreShown() {
        ServerStatus refused = new ServerStatus(new NodeStatus(null, List.of(), List.of()), false,
                "fedcba9876543210fedcba9876543210fedcba98", "Invalid: broken.yaml:2:16: unclosed flow sequence",
                now.minusSeconds(5));
        assertEquals("""
                Nothing applied yet.
                Server:      http://node1:7420, last reconcile %s (5s ago)
                Suspended:   no
                Refused:     fedcba987654 (invalid, denied or unverifiable: not applied)
                Last error:  Invalid: broken.yaml:2:16: unclosed flow sequence

                No pods.
                """.formatted(now.minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)),
                StatusText.render(refused, URI.create("http://node1:7420"), now));
    }
}
