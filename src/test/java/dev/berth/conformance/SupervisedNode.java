package dev.berth.conformance;

import dev.berth.conformance.ConformanceCase.Logged;
import dev.berth.conformance.ConformanceCase.Observed;
import dev.berth.runtime.MountTable;
import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import dev.berth.testing.DnsServers;
import dev.berth.testing.TestRepo;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * The cases that watch a pod over time (restarts, readiness, probes) run on one {@code berth watch} node, all at once:
 * their manifests are committed together at the start and a sampler records every pod's status twice a second, so
 * each case is judged on the pod's history whatever order the tests run in. The cases that change an object while
 * its pod runs commit each step as it comes and ask for a sync, then read the pod's log through the daemon's API.
 */
final class SupervisedNode implements AutoCloseable {

    private static final Duration SAMPLE = Duration.ofMillis(500);

    /** One observation of a pod: when (since the daemon started) and its status (phase, status, ready, restarts). */
    record Sample(long millis, JsonNode pod) {}

    private final Path dir;
    private final Path config;
    private final Path runRoot;
    private final TestRepo repo;
    private final WatchProcess watch;
    private final Map<String, List<Sample>> history = new ConcurrentHashMap<>();
    /** The id of each pod of the update cases when its log first showed what it should: it must not change. */
    private final Map<String, String> firstIds = new ConcurrentHashMap<>();
    private final Thread sampler;
    private final long started = System.nanoTime();
    private volatile String samplerError;

    private SupervisedNode(Path dir, Path config, Map<String, String> files) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.config = config;
        this.runRoot = Path.of("/run/berth-it-conformance-node-" + ProcessHandle.current().pid());
        this.repo = TestRepo.init(dir.resolve("repo"));
        files.forEach(repo::write);
        repo.commit("the supervised conformance cases");
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.watch = WatchProcess.start(List.of(java, "-jar", jar.toString()), dir, List.of("--repo",
                repo.dir().toString(), "--config", config.toString(), "--root", dir.resolve("state").toString(),
                "--run-root", runRoot.toString(), "--interval", "10m"), Map.of());
        this.sampler = new Thread(this::sample, "conformance-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Commits {@code files} (path to manifests) and starts the daemon on them. */
    static SupervisedNode start(Path dir, Path config, Map<String, String> files) throws IOException {
        return new SupervisedNode(dir, config, files);
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (!watch.process().isAlive()) {
                    samplerError = "the daemon exited";
                    return;
                }
                long at = Duration.ofNanos(System.nanoTime() - started).toMillis();
                try {
                    for (JsonNode pod : watch.status().path("node").path("pods")) {
                        history.computeIfAbsent(pod.path("name").asText(), name -> new CopyOnWriteArrayList<>())
                                .add(new Sample(at, pod));
                    }
                } catch (IOException | IllegalStateException notYet) {
                    // not listening yet: the next round asks again
                }
                Thread.sleep(SAMPLE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until {@code expect} is decided on its pod's history: eventually (some sample within its time) or always
     * (every sample over its time, from the pod's first). Returns null when it holds, else what was seen.
     */
    String judge(Observed expect) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(expect.seconds() + 90).toNanos();
        while (System.nanoTime() < deadline) {
            if (samplerError != null) {
                return "the status sampler failed: " + samplerError + "\n" + watch.log();
            }
            List<Sample> samples = history.getOrDefault(expect.pod(), List.of());
            if (!samples.isEmpty()) {
                long from = samples.get(0).millis();
                long until = from + expect.seconds() * 1000L;
                boolean covered = samples.get(samples.size() - 1).millis() >= until;
                List<Sample> window = samples.stream().filter(s -> s.millis() <= until).toList();
                if (expect.always()) {
                    Sample broken = window.stream().filter(s -> !expect.condition().test(s.pod())).findFirst()
                            .orElse(null);
                    if (broken != null) {
                        return "at " + (broken.millis() - from) + " ms: " + broken.pod() + "\n" + describe(expect.pod());
                    }
                    if (covered) {
                        return null;
                    }
                } else {
                    if (window.stream().anyMatch(s -> expect.condition().test(s.pod()))) {
                        return null;
                    }
                    if (covered) {
                        return "never within " + expect.seconds() + " s; last: " + window.get(window.size() - 1).pod()
                                + "\n" + describe(expect.pod());
                    }
                }
            }
            Thread.sleep(SAMPLE.toMillis());
        }
        return "no decision in time; samples: " + history.getOrDefault(expect.pod(), List.of()).size() + "\n"
                + watch.log();
    }

    /**
     * Commits {@code manifests} as {@code file} (replacing what it held) and asks the daemon for a sync at once: the
     * poll is 10 minutes away.
     */
    void commit(String file, String manifests) throws IOException, InterruptedException {
        repo.write(file, manifests);
        repo.commit("update " + file);
        HttpResponse<String> sync = watch.post("/api/v1/sync", WatchProcess.TOKEN, "");
        if (sync.statusCode() != 202) {
            throw new IllegalStateException("sync: " + sync.statusCode() + " " + sync.body());
        }
    }

    /**
     * Waits, up to its seconds, until each container of {@code expect} shows its text in its log (read as the e2e
     * tests read it, through the API), the pod being the one first seen with no container restarted. Returns null
     * when it does, else what was seen.
     */
    String awaitLogs(Logged expect) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(expect.seconds()).toNanos();
        String seen = "the pod was not seen";
        while (true) {
            if (!watch.process().isAlive()) {
                return "the daemon exited\n" + watch.log();
            }
            try {
                List<JsonNode> pods = new ArrayList<>();
                for (JsonNode pod : watch.status().path("node").path("pods")) {
                    if (pod.path("name").asText().equals(expect.pod())) {
                        pods.add(pod);
                    }
                }
                String first = firstIds.get(expect.pod());
                for (JsonNode pod : pods) {
                    if (first != null && !first.equals(pod.path("id").asText())) {
                        return "replaced: the pod " + first + " became " + pod;
                    }
                    if (pod.path("restarts").asInt() > 0) {
                        return "a container restarted: " + pod;
                    }
                }
                if (pods.size() == 1) {
                    Map<String, String> logs = logs(expect.pod(), expect.logs().keySet());
                    seen = pods.get(0) + "\n" + logs;
                    if (expect.logs().entrySet().stream()
                            .allMatch(e -> logs.getOrDefault(e.getKey(), "").contains(e.getValue()))) {
                        firstIds.putIfAbsent(expect.pod(), pods.get(0).path("id").asText());
                        return null;
                    }
                }
            } catch (IOException | IllegalStateException notYet) {
                seen = "not answering: " + notYet.getMessage();
            }
            if (System.nanoTime() > deadline) {
                return "not within " + expect.seconds() + " s; last seen: " + seen;
            }
            Thread.sleep(SAMPLE.toMillis());
        }
    }

    /** Each container's log, as {@code GET /api/v1/pods/default/POD/logs} gives it; absent while it has none. */
    private Map<String, String> logs(String pod, Iterable<String> containers) throws IOException, InterruptedException {
        Map<String, String> logs = new LinkedHashMap<>();
        for (String container : containers) {
            HttpResponse<String> log = watch.get("/api/v1/pods/default/" + pod + "/logs?container="
                    + URLEncoder.encode(container, StandardCharsets.UTF_8), WatchProcess.TOKEN);
            if (log.statusCode() == 200) {
                logs.put(container, log.body());
            }
        }
        return logs;
    }

    /** {@code berth describe pod}: its containers and events say why it failed (a probe's output, an exit). */
    private String describe(String pod) {
        CliRun describe = CliRun.of("describe", "pod", pod, "--root", dir.resolve("state").toString(), "--run-root",
                runRoot.toString());
        return "--- berth describe pod " + pod + "\n" + describe.out() + describe.err();
    }

    /** Stops the daemon, removes its pods through an empty commit, and checks nothing is left mounted. */
    @Override
    public void close() throws IOException {
        sampler.interrupt();
        try {
            watch.terminate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
        }
        try (var files = Files.list(repo.dir())) {
            for (Path yaml : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                repo.delete(yaml.getFileName().toString());
            }
        }
        repo.commit("remove the supervised cases");
        CliRun pruned = CliRun.of("apply", "--repo", repo.dir().toString(), "--allow-empty", "--config",
                config.toString(), "--root", dir.resolve("state").toString(), "--run-root", runRoot.toString());
        List<Path> mounts = MountTable.mountPointsUnder(runRoot);
        List<String> dns = DnsServers.killUnder(runRoot);
        FileTrees.deleteRecursively(runRoot);
        if (pruned.exitCode() != 0 || !mounts.isEmpty() || !dns.isEmpty()) {
            throw new IllegalStateException("the supervised pods were not removed: " + pruned + " mounts " + mounts
                    + " DNS servers " + dns);
        }
    }
}
