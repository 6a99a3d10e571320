package dev.berth.bench;

import dev.berth.runtime.Mounter;
import dev.berth.store.FileTrees;
import dev.berth.testing.GitDaemon;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRepo;
import dev.berth.testing.WatchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's watch benchmark. A {@code berth watch} daemon, started through the launcher with its default poll (1m)
 * and resync (5m) intervals, watches a repository served by {@code git daemon} on 127.0.0.1 and prints:
 * <ol>
 *   <li>commit-to-running latency of a one-pod change via a signed webhook (target under 1 s, image present): from
 *       the webhook sent, right after the push, until the pod's container has run its first command (it touches a
 *       file in a hostPath volume, watched with inotify); for a pod added and for a pod whose command changed;</li>
 *   <li>from {@code kill -9} of a container's process to its new container running (target under 1 s): each of the
 *       latency rounds' added pods killed once (a second kill would wait out CrashLoopBackOff's 10 s, as it should),
 *       until the restarted container has run its first command;</li>
 *   <li>idle CPU and RSS of the daemon with 50 pods running (targets: under 1% of a core, under 160 MB), sampled
 *       from {@code /proc} once a second over {@code bench.idle} (default PT5M);</li>
 *   <li>the cost of a poll when nothing changed (target: one ls-remote round trip, no tree read): the daemon's own
 *       fetch timing from {@code /metrics}, the upload-pack requests git daemon served, whether anything synced,
 *       and a {@code git ls-remote} of the same URL for comparison.</li>
 * </ol>
 * Needs root, runc, conmon, git, docker-registry, skopeo, umoci, busybox, and the packaged jar with its launcher.
 * System properties: {@code bench.rounds} (default 10), {@code bench.idle}, {@code bench.idlePods} (default 50), and
 * {@code bench.javaOpts} (the daemon's {@code BERTH_JAVA_OPTS}, to compare JVM settings).
 */
public final class WatchBenchmark {

    private static final String PUSH = "{\"ref\":\"refs/heads/main\"}";

    private final Path work;
    private final String image;
    private final GitDaemon git;
    private final TestRepo repo;
    private final Marks marks;
    private final Map<String, String> pods = new LinkedHashMap<>(); // file name -> manifest

    private WatchBenchmark(Path work, TestRegistry registry, GitDaemon git) throws Exception {
        this.work = work;
        this.image = registry.host() + "/" + TestRegistry.BUSYBOX;
        this.git = git;
        this.repo = TestRepo.init(work.resolve("repo"));
        this.marks = new Marks(Files.createDirectories(work.resolve("marks")));
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 10);
        Duration idle = Duration.parse(System.getProperty("bench.idle", "PT5M"));
        int idlePods = Integer.getInteger("bench.idlePods", 50);
        Path launcher = ConvergeBenchmark.launcher();
        if (launcher == null) {
            throw new IllegalStateException("the watch benchmark runs the daemon through the launcher: package first");
        }
        System.out.printf("java %s, %d cpus, %s, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Processes.run("runc", "--version").lines().findFirst().orElse("runc"), Processes.run("git", "--version").strip());
        Path work = Files.createTempDirectory("berth-bench-watch-");
        Path runRoot = Path.of("/run/berth-bench-" + ProcessHandle.current().pid());
        try (TestRegistry registry = TestRegistry.start().pushBusybox();
             GitDaemon git = GitDaemon.serve(Files.createDirectories(work.resolve("served")), "node.git")) {
            WatchBenchmark bench = new WatchBenchmark(work, registry, git);
            Path config = Files.writeString(work.resolve("config.yaml"),
                    "source: {allowEmpty: true}\nregistries:\n  \"" + registry.host() + "\": {insecure: true}\n");
            bench.commit("web.yaml", bench.pod("web", "web-0"));
            // sh: the launcher comes from the build's resources, which lose the x bit
            try (WatchProcess daemon = WatchProcess.start(List.of("sh", launcher.toString()), work,
                    List.of("--repo", git.url(), "--config", config.toString(), "--root", work.resolve("state").toString(),
                            "--run-root", runRoot.toString()),
                    Map.of("XDG_CACHE_HOME", work.resolve("cache").toString(),
                            "BERTH_JAVA_OPTS", System.getProperty("bench.javaOpts", "")))) {
                daemon.awaitReady(Duration.ofMinutes(1));
                bench.marks.await(List.of("web-0"), Duration.ofMinutes(2)); // the first apply pulls the image
                bench.latency(daemon, rounds);
                bench.restarts(daemon, rounds, runRoot);
                bench.idle(daemon, idlePods, idle);
                bench.prune(daemon);
            }
        } finally {
            new Mounter().unmountAllUnder(runRoot);
            FileTrees.deleteRecursively(runRoot);
            new Mounter().unmountAllUnder(work);
            FileTrees.deleteRecursively(work);
        }
    }

    /** Webhook to running, for a pod added and for a pod changed, one commit each. */
    private void latency(WatchProcess daemon, int rounds) throws Exception {
        long[] added = new long[rounds];
        long[] changed = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            added[i] = pushAndAwait(daemon, "add-" + i + ".yaml", pod("add-" + i, "add-" + i), "add-" + i);
            changed[i] = pushAndAwait(daemon, "web.yaml", pod("web", "web-" + (i + 1)), "web-" + (i + 1));
        }
        System.out.printf("%ncommit-to-running via webhook, %d rounds (ms): pod added %s | pod changed %s%n", rounds,
                millis(added), millis(changed));
        long median = Math.max(ConvergeBenchmark.median(added), ConvergeBenchmark.median(changed));
        System.out.printf("target under 1 s: median %d ms added, %d ms changed: %s%n", ms(ConvergeBenchmark.median(added)),
                ms(ConvergeBenchmark.median(changed)), median < TimeUnit.SECONDS.toNanos(1) ? "met" : "missed");
    }

    /** kill -9 of each added pod's container, once each: until its new container has run its first command. */
    private void restarts(WatchProcess daemon, int rounds, Path runRoot) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        daemon.status().path("node").path("pods").forEach(p -> ids.put(p.path("name").asString(), p.path("id").asString()));
        long[] restarted = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            String container = ids.get("add-" + i) + ".main";
            JsonNode state = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Processes.run("runc",
                    "--root", runRoot.resolve("runc").toString(), "state", container));
            Files.delete(marks.dir().resolve("add-" + i));
            long killed = System.nanoTime();
            ProcessHandle.of(state.path("pid").asLong()).orElseThrow().destroyForcibly(); // SIGKILL
            marks.await(List.of("add-" + i), Duration.ofSeconds(30));
            restarted[i] = System.nanoTime() - killed;
        }
        System.out.printf("%nkill -9 to the new container running, %d pods once each (ms): %s%n", rounds, millis(restarted));
        long median = ConvergeBenchmark.median(restarted);
        System.out.printf("target under 1 s: median %d ms: %s%n", ms(median),
                median < TimeUnit.SECONDS.toNanos(1) ? "met" : "missed");
    }

    private long pushAndAwait(WatchProcess daemon, String file, String manifest, String mark) throws Exception {
        commit(file, manifest);
        long sent = System.nanoTime();
        daemon.signedHook(PUSH);
        marks.await(List.of(mark), Duration.ofSeconds(60));
        long latency = System.nanoTime() - sent;
        awaitSynced(daemon, pods.size()); // the next round starts with the daemon idle
        return latency;
    }

    /** 50 pods, nothing changing: the daemon's CPU and memory over the idle period, and what its polls cost. */
    private void idle(WatchProcess daemon, int n, Duration period) throws Exception {
        pods.clear();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("idle-" + i);
            pods.put("idle-" + i + ".yaml", pod("idle-" + i, "idle-" + i));
        }
        commit(null, null);
        daemon.signedHook(PUSH);
        marks.await(names, Duration.ofMinutes(5));
        awaitSynced(daemon, n);

        ProcSample before = ProcSample.of(daemon.process().pid());
        Map<String, Double> metricsBefore = daemon.metrics();
        long requestsBefore = git.uploadPackRequests();
        int syncsBefore = daemon.logCount("syncing:");
        long maxRss = 0;
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            maxRss = Math.max(maxRss, ProcSample.of(daemon.process().pid()).rssKb());
            Thread.sleep(Math.min(1000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
        ProcSample after = ProcSample.of(daemon.process().pid());
        maxRss = Math.max(maxRss, after.rssKb());
        Map<String, Double> metricsAfter = daemon.metrics();

        double wall = (after.nanos() - before.nanos()) / 1e9;
        System.out.printf("%nidle with %d pods over %.0f s (poll 1m, resync 5m):%n", n, wall);
        System.out.printf("  CPU: %.2f%% of a core (the JVM), %.2f%% with the processes it ran (runc list)%n",
                100 * (after.cpuSeconds() - before.cpuSeconds()) / wall,
                100 * (after.cpuSecondsWithChildren() - before.cpuSecondsWithChildren()) / wall);
        System.out.printf("  RSS: %d MB at the end, %d MB at most; peak since start (VmHWM) %d MB%n", after.rssKb() / 1024,
                maxRss / 1024, after.hwmKb() / 1024);
        double polls = delta(metricsBefore, metricsAfter, "berth_git_fetch_duration_seconds_count");
        double pollSeconds = delta(metricsBefore, metricsAfter, "berth_git_fetch_duration_seconds_sum");
        System.out.printf("%npolls with nothing new: %.0f, %.1f ms each (the daemon's fetch timing); git daemon served"
                        + " %d upload-pack requests; syncs started: %d%n", polls, polls == 0 ? 0 : 1000 * pollSeconds / polls,
                git.uploadPackRequests() - requestsBefore, daemon.logCount("syncing:") - syncsBefore);
        long[] lsRemote = new long[5];
        for (int i = 0; i < lsRemote.length; i++) {
            long start = System.nanoTime();
            Processes.run("git", "ls-remote", git.url(), "refs/heads/main");
            lsRemote[i] = System.nanoTime() - start;
        }
        System.out.printf("`git ls-remote` of the same URL, a new process each: %s ms%n", millis(lsRemote));
    }

    /** Leaves an empty node: an empty commit applied by the daemon itself. */
    private void prune(WatchProcess daemon) throws Exception {
        pods.clear();
        commit(null, null);
        daemon.signedHook(PUSH);
        awaitSynced(daemon, 0);
    }

    /** Waits until the daemon reports the head applied and exactly n pods, all running. */
    private void awaitSynced(WatchProcess daemon, int n) throws Exception {
        String head = repo.git().getRepository().resolve("HEAD").name();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            JsonNode node = daemon.status().path("node");
            List<JsonNode> pods = new ArrayList<>();
            node.path("pods").forEach(pods::add);
            if (head.equals(node.path("revision").asString()) && node.path("result").asString().equals("Synced") && pods.size() == n
                    && pods.stream().allMatch(p -> p.path("status").asString().equals("Running"))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not synced to " + head + " with " + n + " pods: " + node);
            }
            Thread.sleep(200);
        }
    }

    /** Writes the repository to hold exactly the current pods (plus {@code file} when given), commits and pushes. */
    private void commit(String file, String manifest) throws Exception {
        if (file != null) {
            pods.put(file, manifest);
        }
        try (var entries = Files.list(repo.dir())) {
            for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList()) {
                Files.delete(p);
            }
        }
        pods.forEach(repo::write);
        repo.commit("bench");
        git.push(repo);
    }

    /** A pod whose container touches {@code /marks/MARK} once it runs, and leaves at once on SIGTERM. */
    private String pod(String name, String mark) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                    - name: main
                      image: "%s"
                      command: [sh, -c, "trap 'exit 0' TERM; touch /marks/%s; sleep 3600 & wait"]
                      volumeMounts: [{name: marks, mountPath: /marks}]
                  volumes:
                    - {name: marks, hostPath: {path: "%s", type: Directory}}
                """.formatted(name, image, mark, marks.dir());
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    private static String millis(long[] nanos) {
        return String.join(" ", Arrays.stream(nanos).mapToObj(t -> Long.toString(ms(t))).toList());
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
