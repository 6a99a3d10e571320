package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.server.Json;
import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth watch} end to end, run from the built jar as its own process (so SIGTERM is real): polling, the
 * webhook, refused commits, signature verification, suspend and resume, /metrics, the web page in headless
 * Chromium, and a restart that adopts the pods. Every wait is on a condition; every daemon and pod is torn down.
 */
class WatchIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String TOKEN = WatchProcess.TOKEN;

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        Prerequisites.requireBinaries("git");
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    // ---- the tests

    /**
     * Polling converges each commit; a bad commit is refused and keeps the pods; the API wants its token; suspend
     * holds a commit back until resume; /metrics and the page show the pods; SIGTERM leaves them running and the
     * next start adopts them untouched.
     */
    @Test
    void pollsRefusesBadCommitsSuspendsServesMetricsAndThePageAndLeavesPodsRunningAcrossARestart() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
            String first = head(node);
            Map<String, Instant> started;
            Map<String, Long> pids;
            try (WatchProcess watch = startWatch(node, "2s")) {
                watch.awaitReady(CONVERGE);
                awaitRunning(node, watch, first, "a");

                // 1. a commit is converged by polling
                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"));
                String second = head(node);
                long committed = System.nanoTime();
                awaitRunning(node, watch, second, "a", "b");
                System.out.printf("WatchIT: commit to running by polling (--interval 2s): %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - committed));
                JsonNode status = watch.status();
                assertEquals(second, status.path("node").path("revision").asString(), status.toString());
                assertTrue(status.path("lastError").isNull(), status.toString());
                assertStatusFromServerShows(watch, second, List.of("a", "b"));

                // the API: no token, a wrong token -> 401; health and readiness need none
                assertEquals(401, watch.get("/api/v1/status", null).statusCode());
                assertEquals(401, watch.get("/api/v1/status", "wrong").statusCode());
                assertEquals(401, watch.post("/api/v1/suspend", null, "").statusCode());
                assertEquals(200, watch.get("/healthz", null).statusCode());
                assertEquals(401, watch.get("/metrics", null).statusCode(), "metrics need the token by default");

                // 6. /metrics
                Map<String, Double> metrics = watch.metrics();
                assertTrue(metrics.getOrDefault("berth_sync_total{result=\"Synced\"}", 0.0) >= 1, metrics.toString());
                assertEquals(2.0, metrics.get("berth_pods{phase=\"Running\"}"), metrics.toString());

                // 7. the page, rendered by headless Chromium
                assertPageShows(watch, second, List.of("a", "b"));
                assertPlanIsTheLastSyncs(watch, second);

                // 3. an invalid commit is refused: the pods stay, the status says why; the next good one applies
                Map<String, String> ids = ids(node);
                node.repo.write("broken.yaml", "kind: Pod\nmetadata: {name: [unclosed\n").commit("broken yaml");
                node.push();
                String broken = head(node);
                awaitCondition("the broken commit refused", () -> broken.equals(watch.status().path("refusedRevision").asString()));
                status = watch.status();
                assertEquals(second, status.path("node").path("revision").asString(), "still on the good revision");
                assertTrue(status.path("lastError").asString().startsWith("Invalid"), status.toString());
                assertEquals(ids, ids(node), "the refused commit touched no pod");
                for (PodSnapshot p : node.pods()) {
                    assertEquals(PodPhase.RUNNING, p.phase(), p.toString());
                }
                int fetchesBefore = watch.metrics().getOrDefault("berth_git_fetch_duration_seconds_count", 0.0).intValue();
                awaitCondition("two more polls", () -> watch.metrics()
                        .getOrDefault("berth_git_fetch_duration_seconds_count", 0.0).intValue() >= fetchesBefore + 2);
                assertEquals(ids, ids(node), "polls do not retry the refused commit");

                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"),
                        "c.yaml", ApplyIT.pod("c", "busybox:1.35", "sleep 3600"));
                String third = head(node);
                awaitRunning(node, watch, third, "a", "b", "c");
                status = watch.status();
                assertTrue(status.path("refusedRevision").isNull(), status.toString());
                assertTrue(status.path("lastError").isNull(), status.toString());
                assertEquals(ids.get("a"), ids(node).get("a"), "a unchanged through all of it");

                // suspend: a commit is not applied (polls are skipped) until resume
                assertEquals(200, watch.post("/api/v1/suspend", TOKEN, "").statusCode());
                assertTrue(watch.status().path("suspended").asBoolean());
                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"));
                String fourth = head(node);
                int skipped = watch.logCount("suspended: skipping POLL");
                awaitCondition("two polls skipped while suspended", () -> watch.logCount("suspended: skipping POLL") >= skipped + 2);
                assertEquals(third, watch.status().path("node").path("revision").asString(), "nothing applied while suspended");
                assertEquals(3, node.pods().size(), "c is still there");
                assertEquals(200, watch.post("/api/v1/resume", TOKEN, "").statusCode());
                awaitRunning(node, watch, fourth, "a", "b");
                awaitCondition("c pruned", () -> node.pods().size() == 2);
                assertFalse(watch.status().path("suspended").asBoolean());

                // 5. SIGTERM: the daemon exits cleanly and leaves the pods running
                started = startTimes(node);
                pids = pids(node);
                watch.terminate();
            }
            for (PodSnapshot p : node.pods()) {
                assertEquals(PodPhase.RUNNING, p.phase(), "after SIGTERM: " + p);
            }
            assertEquals(pids, pids(node), "the same processes after the daemon stopped");
            assertTrue(pids.values().stream().allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));

            // the next start adopts them: same pods, same start times, no restart
            try (WatchProcess again = startWatch(node, "2s")) {
                again.awaitReady(CONVERGE);
                String fourth = head(node);
                awaitRunning(node, again, fourth, "a", "b");
                assertEquals(started, startTimes(node), "adopted, not restarted");
                assertEquals(pids, pids(node));
                for (PodSnapshot p : node.pods()) {
                    assertEquals(0, p.restarts(), p.toString());
                }
                again.terminate();
            }
        }
    }

    /**
     * The webhook converges at once (the poll is 10 minutes away); a wrong signature is refused and changes nothing;
     * with git out of reach a sync is retried with backoff and converges once git is back.
     */
    @Test
    void aSignedWebhookConvergesWithoutWaitingForThePollAndABadSignatureIsRefused() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
            String first = head(node);
            try (WatchProcess watch = startWatch(node, "10m")) {
                watch.awaitReady(CONVERGE);
                awaitRunning(node, watch, first, "a");

                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"));
                String second = head(node);
                String body = "{\"ref\":\"refs/heads/main\"}";

                HttpResponse<String> forged = watch.hook(body, "sha256=" + WatchProcess.hmac("not-the-secret", body));
                assertEquals(401, forged.statusCode(), forged.body());
                assertEquals(401, watch.hook(body, null).statusCode(), "no signature");
                assertEquals(401, watch.hook(body, "sha256=" + WatchProcess.hmac(WatchProcess.HOOK_SECRET, body + " ")).statusCode(),
                        "a signature of another body");
                int syncs = watch.logCount("syncing:");
                assertEquals(first, watch.status().path("node").path("revision").asString(), "nothing applied");
                assertEquals(List.of("a"), names(node));

                long sent = System.nanoTime();
                HttpResponse<String> hook = watch.signedHook(body);
                assertTrue(hook.statusCode() / 100 == 2, hook.statusCode() + " " + hook.body());
                awaitRunning(node, watch, second, "a", "b");
                long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                System.out.printf("WatchIT: webhook to running pod (--interval 10m): %d ms%n", latency);
                assertTrue(latency < Duration.ofMinutes(1).toMillis(), "converged by the webhook, not a poll");
                assertEquals(syncs + 1, watch.logCount("syncing:"), "only the signed hook synced:\n" + watch.log());

                // git out of reach: the hook's sync cannot fetch and touches nothing; it is tried again 5 s later (then 10,
                // 20 ... up to the poll interval) and converges once git is back, long before the next poll
                Map<String, String> ids = ids(node);
                node.server().close();
                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"),
                        "c.yaml", ApplyIT.pod("c", "busybox:1.35", "sleep 3600"));
                String third = head(node);
                assertEquals(2, watch.signedHook(body).statusCode() / 100);
                awaitCondition("a retry planned", () -> watch.logCount("trying again in 5.0 s (POLL)") == 1, watch);
                assertTrue(watch.status().path("lastError").asString().contains("cannot"), watch.status().toString());
                assertEquals(ids, ids(node), "nothing touched while git is out of reach");
                node.server().start();
                awaitRunning(node, watch, third, "a", "b", "c");
                assertEquals(ids.get("a"), ids(node).get("a"));
                assertEquals(ids.get("b"), ids(node).get("b"));
                watch.terminate();
            }
        }
    }

    /** With source.verify, a commit signed by an allowed key is applied and an unsigned one is refused. */
    @Test
    void appliesASignedCommitAndRefusesAnUnsignedOne() throws Exception {
        Prerequisites.requireBinaries("ssh-keygen");
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path key = dir.resolve("alice");
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key.toString());
        Files.writeString(keys.resolve("allowed_signers"),
                "alice@example.org " + Files.readString(dir.resolve("alice.pub")));
        try (NodeFixture node = new NodeFixture(dir, registry,
                "source:\n  verify: {mode: head, keys: \"" + keys + "\"}\n")) {
            try {
                node.repo.write("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
                signedCommit(node, key, "signed a");
                String signed = head(node);
                try (WatchProcess watch = startWatch(node, "2s")) {
                    watch.awaitReady(CONVERGE);
                    awaitRunning(node, watch, signed, "a");
                    Map<String, String> ids = ids(node);

                    node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                            "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"));
                    String unsigned = head(node);
                    awaitCondition("the unsigned commit refused",
                            () -> unsigned.equals(watch.status().path("refusedRevision").asString()));
                    JsonNode status = watch.status();
                    assertEquals(signed, status.path("node").path("revision").asString(), status.toString());
                    assertTrue(status.path("lastError").asString().contains("not signed"), status.toString());
                    assertEquals(ids, ids(node), "nothing touched");

                    node.repo.write("c.yaml", ApplyIT.pod("c", "busybox:1.35", "sleep 3600"));
                    signedCommit(node, key, "signed c");
                    String signedAgain = head(node);
                    awaitRunning(node, watch, signedAgain, "a", "b", "c");
                    assertTrue(watch.status().path("refusedRevision").isNull());
                    watch.terminate();
                }
            } finally {
                // the fixture's teardown prunes with an unsigned commit: trust it
                Files.writeString(node.config, "registries:\n  docker.io: {mirrors: [\"" + registry.url() + "\"]}\n");
            }
        }
    }

    // ---- the node and the daemon

    private static String head(NodeFixture node) throws Exception {
        return run(node.repo.dir(), "git", "rev-parse", "HEAD").trim();
    }

    private static void signedCommit(NodeFixture node, Path key, String message) throws Exception {
        run(node.repo.dir(), "git", "add", "-A");
        run(node.repo.dir(), "git", "-c", "user.name=Alice", "-c", "user.email=alice@example.org",
                "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m", message);
        node.push();
    }

    /** {@code berth watch -v} from the built jar, polling the node's repository as git daemon serves it. */
    private static WatchProcess startWatch(NodeFixture node, String interval) throws IOException {
        return node.watch("--interval", interval, "--resync", "10m");
    }

    private static List<String> names(NodeFixture node) {
        return node.pods().stream().map(p -> p.record().name()).sorted().toList();
    }

    private static Map<String, String> ids(NodeFixture node) {
        return node.pods().stream().collect(Collectors.toMap(p -> p.record().name(), PodSnapshot::id, (a, b) -> a + "," + b,
                TreeMap::new));
    }

    private static Map<String, Instant> startTimes(NodeFixture node) {
        return node.pods().stream().collect(Collectors.toMap(PodSnapshot::id,
                p -> p.state().containers().get("main").startedAt()));
    }

    private static Map<String, Long> pids(NodeFixture node) {
        return node.pods().stream().collect(Collectors.toMap(PodSnapshot::id,
                p -> (long) p.containers().get("main").pid()));
    }

    /**
     * Waits until the daemon reports {@code revision} applied to the end (the state names the revision as soon as
     * its apply starts, with result Syncing) and exactly {@code names} run.
     */
    private static void awaitRunning(NodeFixture node, WatchProcess watch, String revision, String... names) throws Exception {
        List<String> expected = List.of(names);
        awaitCondition("revision " + revision + " synced with " + expected + " running", () -> {
            JsonNode applied = watch.status().path("node");
            return revision.equals(applied.path("revision").asString()) && "Synced".equals(applied.path("result").asString())
                        && names(node).equals(expected)
                        && node.pods().stream().allMatch(p -> p.phase() == PodPhase.RUNNING);
        }, watch);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(String what, Check check) throws Exception {
        awaitCondition(what, check, null);
    }

    private static void awaitCondition(String what, Check check, WatchProcess watch) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + (watch == null ? "" : "\n" + watch.log()));
            }
            Thread.sleep(100);
        }
    }

    /** {@code berth status --server} with the token in {@code $BERTH_TOKEN}, as a user on another machine runs it. */
    private static void assertStatusFromServerShows(WatchProcess watch, String revision, List<String> pods) throws Exception {
        CliRun remote = CliRun.withEnvironment(Map.of("BERTH_TOKEN", TOKEN), "status", "--server", watch.url());
        assertEquals(0, remote.exitCode(), remote::toString);
        List<String> lines = remote.out().lines().toList();
        assertTrue(lines.contains("Suspended:  no"), remote.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Revision:") && l.contains(revision.substring(0, 12))),
                remote.out());
        List<String> podRows = lines.stream().dropWhile(l -> !l.startsWith("NAMESPACE")).skip(1).toList();
        assertEquals(pods, podRows.stream().map(l -> l.split("\\s+")[1]).sorted().toList(), remote.out());
        assertTrue(podRows.stream().allMatch(l -> l.contains(" Running ")), remote.out());
    }

    private void assertPageShows(WatchProcess watch, String revision, List<String> pods) throws Exception {
        Prerequisites.requireBinaries("chromium");
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        String dom = run(dir, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--dump-dom", watch.url() + "/");
        List<String> cells = new ArrayList<>();
        Matcher m = Pattern.compile("<td class=\"pod\">([^<]*)</td>").matcher(dom);
        while (m.find()) {
            cells.add(m.group(1));
        }
        assertEquals(pods, cells.stream().sorted().toList(), dom);
        Matcher rev = Pattern.compile("<code id=\"revision\">([^<]*)</code>").matcher(dom);
        assertTrue(rev.find(), dom);
        assertEquals(revision, rev.group(1));
        assertTrue(dom.contains("id=\"objects\"") && dom.contains("id=\"login\""), dom);
        assertFalse(dom.contains("id=\"diff\""), "the plan's diff is for a token holder: " + dom);
        String signedIn = watch.get("/", TOKEN).body();
        assertTrue(signedIn.contains("<pre id=\"diff\">") && signedIn.contains("Plan for " + revision.substring(0, 12)),
                signedIn);
    }

    /** {@code /api/v1/plan} is the plan the last sync computed: the same one, however often it is asked for. */
    private static void assertPlanIsTheLastSyncs(WatchProcess watch, String revision) throws Exception {
        HttpResponse<String> first = watch.get("/api/v1/plan", TOKEN);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode plan = Json.parse(first.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(revision, plan.path("revision").asString(), first.body());
        assertEquals("Synced", plan.path("result").asString(), first.body());
        for (int i = 0; i < 3; i++) {
            assertEquals(first.body(), watch.get("/api/v1/plan", TOKEN).body(), "no request plans again");
        }
    }

    private static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
