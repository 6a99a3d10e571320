package dev.berth.bench;

import dev.berth.core.BerthException;
import dev.berth.node.probe.ContainerProbes;
import dev.berth.node.probe.ProbeDialer;
import dev.berth.node.probe.ProbeVerdict;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.NetnsSockets;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRepo;
import dev.berth.testing.WatchProcess;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's probe benchmark: what 50 pods, each HTTP-probed every second, cost berth. A {@code berth watch} daemon,
 * started through the launcher, runs 50 busybox httpd pods on the pod network and this prints:
 * <ol>
 *   <li>the daemon's CPU (its own, from {@code /proc/PID/stat}) over {@code bench.window} (default PT30S) with the
 *       50 pods unprobed, then with each one's readiness probe ({@code httpGet}, periodSeconds 1) running, and the
 *       difference per probe;</li>
 *   <li>the same probe as berth runs it ({@link ContainerProbes#evaluate}, connected from inside the pod's pinned
 *       network namespace by {@link NetnsSockets}, a short-lived thread per connection) run in this JVM at the same
 *       rate against the same pods, while the daemon does not probe them: its latency (p50, p99, max) and this JVM's
 *       CPU per probe from {@code /proc/self/stat}; and the same probe connected straight from the host's namespace
 *       to the pod IP, which no thread-reusing scheme could beat; and connected by one long-lived thread per pod that
 *       entered its namespace once (what a pool of namespace threads would cost).</li>
 * </ol>
 * Needs root, runc, conmon, the CNI plugins, docker-registry, skopeo, umoci, busybox, and the packaged jar with its
 * launcher. System properties: {@code bench.pods} (default 50), {@code bench.window}.
 */
public final class ProbeBenchmark {

    private static final String PROBE = "readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}";

    private final Path work;
    private final String image;
    private final TestRepo repo;
    private final int pods;

    private ProbeBenchmark(Path work, TestRegistry registry, int pods) {
        this.work = work;
        this.image = registry.host() + "/" + TestRegistry.BUSYBOX;
        this.repo = TestRepo.init(work.resolve("repo"));
        this.pods = pods;
    }

    public static void main(String[] args) throws Exception {
        int pods = Integer.getInteger("bench.pods", 50);
        Duration window = Duration.parse(System.getProperty("bench.window", "PT30S"));
        Path launcher = ConvergeBenchmark.launcher();
        if (launcher == null) {
            throw new IllegalStateException("the probe benchmark runs the daemon through the launcher: package first");
        }
        System.out.printf("java %s, %d cpus, %s, load %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Processes.run("runc", "--version").lines().findFirst().orElse("runc"), MachineLoad.now());
        Path work = Files.createTempDirectory("berth-bench-probe-");
        Path runRoot = Path.of("/run/berth-bench-probe-" + ProcessHandle.current().pid());
        ProbeBenchmark bench = null;
        Path config = work.resolve("config.yaml");
        try (TestRegistry registry = TestRegistry.start().pushBusybox()) {
            bench = new ProbeBenchmark(work, registry, pods);
            Files.writeString(config,
                    "source: {allowEmpty: true}\nregistries:\n  \"" + registry.host() + "\": {insecure: true}\n");
            bench.commit(null);
            try (WatchProcess daemon = WatchProcess.start(List.of("sh", launcher.toString()), work,
                    List.of("--repo", bench.repo.dir().toString(), "--config", config.toString(), "--root",
                            work.resolve("state").toString(), "--run-root", runRoot.toString(), "--interval", "10m"),
                    Map.of("XDG_CACHE_HOME", work.resolve("cache").toString()))) {
                daemon.awaitReady(Duration.ofMinutes(1));
                long pid = daemon.process().pid();

                List<JsonNode> running = bench.sync(daemon, "", pods);
                double idle = cpuOver(pid, window);
                List<double[]> inNetns = bench.probeHere(running, runRoot, window, Dial.THREAD_EACH);
                List<double[]> direct = bench.probeHere(running, runRoot, window, Dial.HOST);
                List<double[]> kept = bench.probeHere(running, runRoot, window, Dial.THREAD_KEPT);

                bench.sync(daemon, PROBE, pods);
                double probed = cpuOver(pid, window);
                bench.sync(daemon, null, 0);
                daemon.terminate();

                double seconds = window.toNanos() / 1e9;
                double probes = pods * seconds; // periodSeconds 1
                System.out.printf("%n| what (%d pods, %.0f s, %s) | measured |%n|---|---|%n", pods, seconds, MachineLoad.now());
                System.out.printf("| the daemon's CPU, pods not probed | %.2f%% of a core |%n", 100 * idle / seconds);
                System.out.printf("| the daemon's CPU, each pod probed every second (%.0f probes) | %.2f%% of a core |%n",
                        probes, 100 * probed / seconds);
                System.out.printf("| the daemon's CPU per probe (the difference) | %.0f µs |%n",
                        1e6 * (probed - idle) / probes);
                report("berth's probe (NetnsSockets: a thread per connection in the pod's namespace)", inNetns, seconds);
                report("the same probe from the host's namespace to the pod IP (no thread)", direct, seconds);
                report("the same probe from one long-lived thread per pod, in its namespace", kept, seconds);
            }
        } finally {
            if (bench != null) { // whatever happened, the pods go: their network, cgroups and mounts with them
                bench.commit(null);
                CliRun pruned = CliRun.of("apply", "--repo", bench.repo.dir().toString(), "--allow-empty", "--config",
                        config.toString(), "--root", work.resolve("state").toString(), "--run-root", runRoot.toString());
                System.out.printf("pods removed: %s%n", pruned.exitCode() == 0 ? "yes" : pruned);
            }
            new Mounter().unmountAllUnder(runRoot);
            FileTrees.deleteRecursively(runRoot);
            new Mounter().unmountAllUnder(work);
            FileTrees.deleteRecursively(work);
        }
    }

    /** How the probes in this JVM connect. */
    private enum Dial { THREAD_EACH, HOST, THREAD_KEPT }

    /** setns for the long-lived threads; berth's own binding is internal to its runtime package. */
    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int type) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** A thread that enters {@code netns} once and then makes every connection asked of it there. */
    private static ExecutorService namespaceThread(Path netns) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.submit(() -> {
            int fd = C.INSTANCE.open(netns.toString(), 0x80000); // O_RDONLY | O_CLOEXEC
            try {
                C.INSTANCE.setns(fd, 0x40000000); // CLONE_NEWNET
            } finally {
                C.INSTANCE.close(fd);
            }
            return null;
        }).get();
        return thread;
    }

    /** The daemon's own CPU seconds over {@code window}. */
    private static double cpuOver(long pid, Duration window) throws Exception {
        ProcSample before = ProcSample.of(pid);
        Thread.sleep(window.toMillis());
        return ProcSample.of(pid).cpuSeconds() - before.cpuSeconds();
    }

    /**
     * Each pod probed once a second for {@code window} in this JVM through berth's probe code; returns per probe
     * {latency ms}, and as the last element {this JVM's CPU seconds, failures}.
     */
    private List<double[]> probeHere(List<JsonNode> running, Path runRoot, Duration window, Dial dial)
            throws Exception {
        Container container = new ContainerBuilder().withName("main").withNewReadinessProbe().withNewHttpGet()
                .withPath("/").withNewPort(8080).endHttpGet().withPeriodSeconds(1).endReadinessProbe().build();
        ContainerProbes probes = ContainerProbes.of(container);
        Path namespaces = new RuntimeLayout(runRoot).namespaces();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(4);
        List<ExecutorService> threads = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            String ip = running.get(i).path("ip").asString();
            Path netns = namespaces.resolve(running.get(i).path("id").asString()).resolve("net");
            ExecutorService thread = dial == Dial.THREAD_KEPT ? namespaceThread(netns) : null;
            if (thread != null) {
                threads.add(thread);
            }
            ProbeDialer dialer = new ProbeDialer() {
                @Override
                public String podHost() {
                    return ip;
                }

                @Override
                public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
                    if (dial == Dial.THREAD_EACH) {
                        return NetnsSockets.connect(netns, address, timeout);
                    }
                    if (dial == Dial.HOST) {
                        return connected(address, timeout);
                    }
                    try {
                        return thread.submit(() -> connected(address, timeout)).get();
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IOException(e);
                    }
                }
            };
            workers.scheduleAtFixedRate(() -> {
                Instant now = Instant.now();
                long start = System.nanoTime();
                ProbeVerdict verdict = probes.evaluate(probes.initial(now), "bench", now, (id, command, timeout) -> {
                    throw new BerthException("no exec probe here");
                }, dialer);
                latencies.add((System.nanoTime() - start) / 1e6);
                if (!verdict.ready()) {
                    failures.incrementAndGet();
                }
            }, 1000L * i / running.size(), 1000, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(2000); // the first rounds load the classes
        latencies.clear();
        failures.set(0);
        ProcSample before = ProcSample.of(ProcessHandle.current().pid());
        Thread.sleep(window.toMillis());
        ProcSample after = ProcSample.of(ProcessHandle.current().pid());
        List<double[]> result = new ArrayList<>(latencies.stream().map(l -> new double[] {l}).toList());
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        threads.forEach(ExecutorService::shutdownNow);
        result.add(new double[] {after.cpuSeconds() - before.cpuSeconds(), failures.get()});
        return result;
    }

    private static Socket connected(InetSocketAddress address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) timeout.toMillis());
        return socket;
    }

    private static void report(String what, List<double[]> run, double seconds) {
        double[] totals = run.get(run.size() - 1);
        double[] millis = run.subList(0, run.size() - 1).stream().mapToDouble(l -> l[0]).sorted().toArray();
        System.out.printf("| %s, in this JVM: %d probes (%d failed), latency p50 / p99 / max | %.2f / %.2f / %.1f ms |%n",
                what, millis.length, (long) totals[1], percentile(millis, 0.5), percentile(millis, 0.99),
                millis[millis.length - 1]);
        System.out.printf("| %s: this JVM's CPU per probe, and in all | %.0f µs, %.2f%% of a core |%n", what,
                1e6 * totals[0] / millis.length, 100 * totals[0] / seconds);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Commits {@code n} httpd pods with {@code probe} (null: none at all), asks the daemon to sync and waits until it
     * runs exactly those, each ready; returns their status.
     */
    private List<JsonNode> sync(WatchProcess daemon, String probe, int n) throws Exception {
        commit(probe);
        HttpResponse<String> sync = daemon.post("/api/v1/sync", WatchProcess.TOKEN, "");
        if (sync.statusCode() != 202) {
            throw new IllegalStateException("sync: " + sync.statusCode() + " " + sync.body());
        }
        String head = repo.git().getRepository().resolve("HEAD").name();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode node = daemon.status().path("node");
                last = node.toString();
                List<JsonNode> seen = new ArrayList<>();
                node.path("pods").forEach(seen::add);
                if (head.equals(node.path("revision").asString()) && seen.size() == n && seen.stream()
                        .allMatch(p -> p.path("ready").asBoolean() && !p.path("ip").asString().isEmpty())) {
                    return seen;
                }
            } catch (IOException | IllegalStateException e) { // seen once: a 500 while a record was being written
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not " + n + " ready pods at " + head + ": " + last);
    }

    /** The repository holds the benchmark's pods, each with {@code probe} (empty: none); none when null. */
    private void commit(String probe) throws IOException {
        try (var entries = Files.list(repo.dir())) {
            for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList()) {
                Files.delete(p);
            }
        }
        for (int i = 0; probe != null && i < pods; i++) {
            repo.write("web-" + i + ".yaml", """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web-%d}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - name: main
                          image: "%s"
                          command: [sh, -c, "mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www"]
                          %s
                    """.formatted(i, image, probe));
        }
        repo.write("README", "probe benchmark\n");
        repo.commit("bench");
    }
}
