package dev.berth.bench;

import dev.berth.store.FileTrees;
import dev.berth.testing.HttpFlood;
import dev.berth.testing.HttpFlood.ProcessCounts;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRepo;
import dev.berth.testing.WatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 14's HTTP benchmark. A {@code berth watch} daemon, started through the launcher on a repository with no
 * manifests, takes floods from 50 keep-alive connections on 127.0.0.1 and this prints: requests/s for webhooks refused
 * for their signature and for {@code GET /api/v1/status}; the latency of {@code /healthz} (asked every 10 ms on a
 * connection of its own) during the webhook flood; the daemon's RSS before, at its peak during, and after; the heap the
 * JVM uses after the floods (jcmd). System property {@code bench.requests} (default 20000 per flood).
 */
public final class HttpLoadBenchmark {

    private static final int CONCURRENCY = 50;

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 20_000);
        Path launcher = ConvergeBenchmark.launcher();
        if (launcher == null) {
            throw new IllegalStateException("the HTTP benchmark runs the daemon through the launcher: package first");
        }
        System.out.printf("java %s, %d cpus, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                MachineLoad.now());
        Path work = Files.createTempDirectory("berth-bench-http-");
        TestRepo repo = TestRepo.init(work.resolve("repo"));
        repo.write("README", "no manifests\n").commit("empty");
        Path config = Files.writeString(work.resolve("config.yaml"), "source: {allowEmpty: true}\n");
        Path runRoot = Path.of("/run/berth-bench-http-" + ProcessHandle.current().pid());
        try (WatchProcess daemon = WatchProcess.start(List.of("sh", launcher.toString()), work,
                List.of("--repo", repo.dir().toString(), "--config", config.toString(), "--root",
                        work.resolve("state").toString(), "--run-root", runRoot.toString()),
                Map.of())) {
            daemon.awaitReady(Duration.ofMinutes(2));
            long pid = daemon.process().pid();
            HttpFlood flood = new HttpFlood(daemon.port());
            flood.flood(HttpFlood.badlySignedHook(), 2_000, CONCURRENCY, new AtomicBoolean()); // warm-up
            ProcessCounts before = ProcessCounts.of(pid);

            AtomicReference<Double> peak = new AtomicReference<>(before.rssMb());
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = new Thread(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(ProcessCounts.of(pid).rssMb(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            HttpFlood.Result refused;
            double[] health;
            try (HttpFlood.HealthProbe probe = flood.new HealthProbe(10)) {
                refused = flood.flood(HttpFlood.badlySignedHook(), requests, CONCURRENCY, new AtomicBoolean());
                health = probe.sortedMillis();
            }
            HttpFlood.Result status = flood.flood(HttpFlood.get("/api/v1/status", WatchProcess.TOKEN), requests,
                    CONCURRENCY, new AtomicBoolean());
            done.set(true);
            sampler.join();
            ProcessCounts after = ProcessCounts.of(pid);

            System.out.printf("%n| what | measured |%n|---|---|%n");
            System.out.printf("| webhooks refused for their signature, %d from %d connections | %.0f requests/s %s |%n",
                    requests, CONCURRENCY, refused.perSecond(), refused.byStatus());
            System.out.printf("| `GET /api/v1/status`, %d from %d connections | %.0f requests/s %s |%n", requests,
                    CONCURRENCY, status.perSecond(), status.byStatus());
            System.out.printf("| `/healthz` during the webhook flood (%d answers): p50 / p99 / max | %.1f / %.1f / %.1f ms |%n",
                    health.length, HttpFlood.percentile(health, 0.5), HttpFlood.percentile(health, 0.99),
                    health[health.length - 1]);
            System.out.printf("| RSS before / peak during / after | %.0f / %.0f / %.0f MB |%n", before.rssMb(), peak.get(),
                    after.rssMb());
            System.out.printf("| threads, fds before / after | %d, %d / %d, %d |%n", before.threads(), before.fds(),
                    after.threads(), after.fds());
            System.out.println();
            System.out.println(Processes.run("jcmd", Long.toString(pid), "GC.heap_info").strip());
            daemon.terminate();
        } finally { // the daemon ran no pod: nothing is mounted under either
            FileTrees.deleteRecursively(runRoot);
            FileTrees.deleteRecursively(work);
        }
    }
}
