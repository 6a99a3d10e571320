package dev.berth.server;

import static dev.berth.server.Http.message;
import static dev.berth.server.Http.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sync.Applier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/plan} and the page serve the plan the daemon's last sync computed, as it was: a request never
 * fetches or plans (each used to run git, the policies and runc).
 */
class LastPlanTest {

    private static final String TOKEN = "plan-token-0123456789";

    @TempDir
    Path dir;
    private PendingChange node;
    private WatchStatus daemon;
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        node = new PendingChange(dir);
        daemon = new WatchStatus(new Metrics(node.layout, node.pods), node.layout);
        api = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), Secret.of(TOKEN), false,
                () -> true, null));
        new ApiRoutes(node.layout, node.pods, daemon, null).register(api, null);
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
        node.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                .header("Authorization", "Bearer " + TOKEN));
    }

    @Test
    void beforeTheFirstSyncThereIsNoPlanYet() throws Exception {
        HttpResponse<String> plan = get("/api/v1/plan");

        assertEquals(503, plan.statusCode());
        assertEquals("no plan yet: the daemon computes one when it syncs a commit", message(plan));
        assertTrue(get("/").body().contains("No plan yet"));
    }

    @Test
    void requestsServeTheLastPlanWithoutPlanningAgain() throws Exception {
        daemon.applied(new Applier.Outcome(node.plan(), "Denied", null)); // what the loop's sync does
        WatchStatus.ComputedPlan computed = daemon.lastPlan().orElseThrow();
        // the source is gone: a request that fetched or planned could not show this plan
        FileUtils.delete(node.repo.dir().toFile(), FileUtils.RECURSIVE);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/api/v1/plan");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode plan = Http.json(response);
            assertEquals(computed.at().toString(), plan.path("computedAt").asString());
            assertEquals("Denied", plan.path("result").asString());
            assertEquals("update", plan.path("changes").path(0).path("action").asString(), response.body());
            assertTrue(response.body().contains(PendingChange.VALUE), response.body());
            String page = get("/").body();
            assertTrue(page.contains(PendingChange.VALUE) && page.contains("Computed at "), page);
        }
    }
}
