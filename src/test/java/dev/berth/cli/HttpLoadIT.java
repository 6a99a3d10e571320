package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.workload.PodPhase;
import dev.berth.testing.HttpFlood;
import dev.berth.testing.HttpFlood.ProcessCounts;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's load test: {@code berth watch}, started through the launcher (its heap ceiling included) as its own
 * process on 127.0.0.1, under half-sent requests, floods of badly signed webhooks and a SIGTERM in the middle of one.
 * Bounded: at most 10,000 requests per test, each test within a few minutes. Prints the numbers it judges.
 */
class HttpLoadIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final long HEADER_TIMEOUT_MILLIS = 10_000;
    private static final String PUSH = "{\"ref\":\"refs/heads/main\"}";

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

    /** The daemon as a user runs it: through the launcher next to the jar, so with its JVM options. */
    private WatchProcess startWatch(NodeFixture node) throws Exception {
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
        Path launcher = jar.resolveSibling("berth");
        assertTrue(Files.isRegularFile(launcher), "package first: " + launcher);
        List<String> args = List.of("--repo", node.serve(), "--config", node.config.toString(), "--root",
                node.root.toString(), "--run-root", node.runRoot.toString(), "--interval", "10m", "--resync", "10m");
        WatchProcess watch = WatchProcess.start(List.of("sh", launcher.toString()), dir, args,
                Map.of("BERTH_JAR", jar.toString(), "XDG_CACHE_HOME", dir.resolve("cache").toString()));
        watch.awaitReady(CONVERGE);
        return watch;
    }

    private static boolean running(NodeFixture node, String... names) {
        List<String> expected = List.of(names);
        var pods = node.pods();
        return pods.stream().map(p -> p.record().name()).sorted().toList().equals(expected)
                && pods.stream().allMatch(p -> p.phase() == PodPhase.RUNNING);
    }

    @Test
    void halfSentRequestsAndAFloodOfBadHooksStarveNeitherHealthNorAValidHook() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
            try (WatchProcess watch = startWatch(node)) {
                NodeFixture.await("pod a running", CONVERGE, () -> running(node, "a"));
                node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"),
                        "b.yaml", ApplyIT.pod("b", "busybox:1.35", "sleep 3600"));
                HttpFlood flood = new HttpFlood(watch.port());

                HttpFlood.Result floodResult;
                long hookToRunning;
                long[] slowClosed;
                double[] health;
                long hookSentNanos;
                double slowestAfterHook;
                int healthFailures;
                try (HttpFlood.HealthProbe probe = flood.new HealthProbe(10);
                     HttpFlood.SlowClients slow = flood.holdPartialRequests(200)) {
                    CompletableFuture<HttpFlood.Result> bad = CompletableFuture.supplyAsync(() -> {
                        try {
                            return flood.flood(HttpFlood.badlySignedHook(), 1_000, 50, new AtomicBoolean());
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    CompletableFuture<long[]> closed = CompletableFuture.supplyAsync(() -> {
                        try {
                            return slow.millisUntilClosedByServer(HEADER_TIMEOUT_MILLIS + 5_000);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    java.time.Instant sent = java.time.Instant.now();
                    hookSentNanos = System.nanoTime();
                    var hook = watch.signedHook(PUSH);
                    assertEquals(200, hook.statusCode(), hook.body());
                    NodeFixture.await("pod b running", CONVERGE, () -> running(node, "a", "b"));
                    // when its container started, as the node recorded it: not when this test's polling noticed
                    hookToRunning = Duration.between(sent, node.pod("b").state().containers().get("main").startedAt())
                            .toMillis();
                    floodResult = bad.get(5, TimeUnit.MINUTES);
                    slowClosed = closed.get(5, TimeUnit.MINUTES);
                    health = probe.sortedMillis();
                    slowestAfterHook = (probe.slowestSentAt() - hookSentNanos) / 1e6;
                    healthFailures = probe.failures();
                }

                long[] sortedClosed = slowClosed.clone();
                Arrays.sort(sortedClosed);
                System.out.printf("HttpLoadIT: valid hook to pod running %d ms; 1,000 bad hooks %s in %.0f ms (%.0f/s); "
                                + "/healthz %d answers p50 %.1f p99 %.1f max %.1f ms (asked %+.0f ms from the valid hook), %d failed; "
                                + "200 half requests closed "
                                + "after %d-%d ms%n", hookToRunning, floodResult.byStatus(), floodResult.nanos() / 1e6,
                        floodResult.perSecond(), health.length, HttpFlood.percentile(health, 0.5),
                        HttpFlood.percentile(health, 0.99), health[health.length - 1], slowestAfterHook, healthFailures, sortedClosed[0],
                        sortedClosed[sortedClosed.length - 1]);
                // The figures (pod running within 2 s, /healthz under 100 ms) are measured and printed above and
                // tabled in docs/benchmarks.md; on 2 vCPUs shared with the flood and its clients they vary with load,
                // so this test holds what must never happen: a stalled sync, a failed or stuck health check.
                assertTrue(hookToRunning < 10_000, "the valid hook's pod ran after " + hookToRunning + " ms");
                assertEquals(Map.of(401, 1_000), floodResult.byStatus(), "every bad hook refused");
                assertEquals(0, healthFailures);
                assertTrue(health[health.length - 1] < 2_000, "slowest /healthz " + health[health.length - 1] + " ms");
                assertTrue(sortedClosed[0] >= 0 && sortedClosed[sortedClosed.length - 1] <= HEADER_TIMEOUT_MILLIS + 2_000,
                        "every half request closed by the server at the header timeout: " + Arrays.toString(sortedClosed));
                assertEquals(1, watch.logCount("syncing: generic:"), "one sync, for the valid hook:\n" + watch.log());
                assertEquals(200.0, watch.metrics().get("berth_http_refused_total{reason=\"header_timeout\"}"),
                        "every half request counted");
                assertTrue(watch.logCount("closed: no complete request line and headers") > 0, watch.log());
                watch.terminate();
            }
        }
    }

    @Test
    void tenThousandBadHooksLeaveMemoryBoundedAndNoThreadOrDescriptorBehind() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
            try (WatchProcess watch = startWatch(node)) {
                NodeFixture.await("pod a running", CONVERGE, () -> running(node, "a"));
                long pid = watch.process().pid();
                HttpFlood flood = new HttpFlood(watch.port());
                // a first flood grows the server's pool to its bound, and loads the classes the flood needs
                flood.flood(HttpFlood.badlySignedHook(), 1_000, 50, new AtomicBoolean());
                ProcessCounts before = settled(pid);

                List<ProcessCounts> during = new ArrayList<>();
                AtomicBoolean done = new AtomicBoolean();
                Thread sampler = new Thread(() -> {
                    while (!done.get()) {
                        synchronized (during) {
                            during.add(ProcessCounts.of(pid));
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                HttpFlood.Result result = flood.flood(HttpFlood.badlySignedHook(), 10_000, 50, new AtomicBoolean());
                done.set(true);
                sampler.join();
                ProcessCounts after = settled(pid);

                double peak = during.stream().mapToDouble(ProcessCounts::rssMb).max().orElseThrow();
                System.out.printf("HttpLoadIT: 10,000 bad hooks %s at %.0f/s; RSS %.0f MB before, peak %.0f during, "
                                + "%.0f after; threads %d -> %d; fds %d -> %d%n", result.byStatus(), result.perSecond(),
                        before.rssMb(), peak, after.rssMb(), before.threads(), after.threads(), before.fds(), after.fds());
                assertEquals(Map.of(401, 10_000), result.byStatus());
                assertTrue(peak < 200, "peak RSS " + peak + " MB");
                assertTrue(after.threads() <= before.threads(), "threads " + before.threads() + " -> " + after.threads());
                assertTrue(after.fds() <= before.fds(), "fds " + before.fds() + " -> " + after.fds());
                watch.terminate();
            }
        }
    }

    @Test
    void sigtermDuringAFloodStopsWithinTheStopTimeoutAndLeavesThePodsRunning() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("a.yaml", ApplyIT.pod("a", "busybox:1.35", "sleep 3600"));
            try (WatchProcess watch = startWatch(node)) {
                NodeFixture.await("pod a running", CONVERGE, () -> running(node, "a"));
                String podId = node.pod("a").id();
                HttpFlood flood = new HttpFlood(watch.port());
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<HttpFlood.Result> bad = CompletableFuture.supplyAsync(() -> {
                    try {
                        return flood.flood(HttpFlood.badlySignedHook(), 10_000, 50, stop);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                NodeFixture.await("the flood under way", CONVERGE, () -> watch.logCount("generic webhook refused") > 0);

                long signalled = System.nanoTime();
                watch.process().destroy();
                boolean exited = watch.process().waitFor(60, TimeUnit.SECONDS);
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                stop.set(true);
                bad.get(2, TimeUnit.MINUTES);

                java.util.regex.Matcher httpStop = java.util.regex.Pattern.compile("HTTP server stopped in (\\d+) ms")
                        .matcher(watch.log());
                assertTrue(httpStop.find(), watch.log());
                long httpStopMillis = Long.parseLong(httpStop.group(1));
                System.out.printf("HttpLoadIT: SIGTERM during a flood: HTTP server stopped in %d ms, exit %s after %d ms"
                        + " (a first run of the launcher also writes its class-data archive at exit)%n", httpStopMillis,
                        exited ? watch.process().exitValue() : "none", stopMillis);
                assertTrue(exited && watch.process().exitValue() == 0, watch.log());
                assertTrue(httpStopMillis <= 5_000, "the HTTP server's stop timeout is 5 s: " + httpStopMillis + " ms");
                assertTrue(stopMillis < 30_000, "exited " + stopMillis + " ms after SIGTERM");
                assertEquals(podId, node.pod("a").id(), "the pod was left running");
                assertEquals(PodPhase.RUNNING, node.pod("a").phase());
            }
        }
    }

    /** Counts once the daemon's threads stop changing (idle pool threads ending, GC threads settling). */
    private static ProcessCounts settled(long pid) throws InterruptedException {
        ProcessCounts last = ProcessCounts.of(pid);
        for (int stable = 0; stable < 5; ) {
            Thread.sleep(200);
            ProcessCounts now = ProcessCounts.of(pid);
            stable = now.threads() == last.threads() && now.fds() == last.fds() ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
