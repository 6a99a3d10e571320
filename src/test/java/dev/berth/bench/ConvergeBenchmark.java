package dev.berth.bench;

import dev.berth.cli.Main;
import dev.berth.node.PodObserver;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import dev.berth.testing.CliRun;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issues 4 and 16's converge benchmark: the wall time of {@code berth apply} from an empty node to N plain pods running
 * (image present), and of the prune back to empty, for N = 1, 20, 50 (or {@code bench.sizes}); and, in the same run
 * and interleaved, of {@code podman kube play} / {@code podman kube down} of the very same multi-document YAML where
 * podman is installed, on the same OCI runtime ({@code podman --runtime}). The runtime is the one berth chooses
 * ({@code -Dbench.runtime=auto}, the default: crun where it runs) or the one named ({@code crun}, {@code runc}), passed
 * to both as {@code --runtime}. berth's pods have loopback only ({@code network.enabled: false}), as podman's
 * {@code --network none}: NetworkStartBenchmark times the pod network. Needs root, crun or runc, conmon,
 * docker-registry, skopeo, umoci, busybox (and podman for the ratio).
 *
 * <p>berth is measured two ways: in process ({@code Main.run}, a warm JVM, as a long-running {@code berth watch}
 * would apply) and as a cold CLI through the launcher next to the jar ({@code target/berth}, a new JVM per apply,
 * as a user or a CI job runs it) when the jar has been packaged. Each timing runs from the command's start until
 * it has returned and every pod's container is running (checked after the command returns; the check is not
 * timed unless a pod was not yet running, in which case the wait for it is). Each size starts with an untimed round of
 * every tool, so that the in-process JVM has compiled the paths that run once per pod before it is timed. System
 * properties: {@code bench.sizes} (default 1,20,50), {@code bench.reps} (default 5), {@code bench.warmup} (default
 * true: false leaves out the untimed round of each size), {@code bench.cli} and {@code bench.podman} (default true:
 * false leaves that tool out), {@code bench.runtime} (auto, crun, runc). Every figure is printed with the load average
 * at the end of its size.
 */
public final class ConvergeBenchmark {

    static final String POD_PREFIX = "bench-";

    private final Path work;
    private final String image;
    private final TestRepo repo;
    private final Path config;
    private final Path stateRoot;
    private final Path runRoot;
    private final Path launcher;
    private final Podman podman;
    private final String runtime;
    private final Map<Integer, String> loads = new LinkedHashMap<>();

    private ConvergeBenchmark(Path work, TestRegistry registry, Path launcher, Podman podman, String runtime)
            throws IOException {
        this.work = work;
        this.image = registry.host() + "/" + TestRegistry.BUSYBOX;
        this.repo = TestRepo.init(work.resolve("repo"));
        this.config = Files.writeString(work.resolve("config.yaml"),
                "source: {allowEmpty: true}\nnetwork: {enabled: false}\nregistries:\n  \"" + registry.host()
                        + "\": {insecure: true}\n"); // loopback only, as podman's --network none
        this.stateRoot = work.resolve("state");
        this.runRoot = runRoot();
        this.launcher = launcher;
        this.podman = podman;
        this.runtime = runtime;
    }

    public static void main(String[] args) throws Exception {
        Main.launchProcessesWithVfork(); // as berth's own main does, before this JVM starts its first process
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1,20,50").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int reps = Integer.getInteger("bench.reps", 5);
        boolean warmUpEachSize = Boolean.parseBoolean(System.getProperty("bench.warmup", "true"));
        Path launcher = Boolean.parseBoolean(System.getProperty("bench.cli", "true")) ? launcher() : null;
        System.out.printf("java %s, %d cpus, -Dbench.runtime=%s; %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), RuntimeBenchmark.preference().name().toLowerCase(Locale.ROOT),
                MachineLoad.now());
        // in process, berth runs in this JVM: as the launcher runs it only with the JVM options the launcher gives
        System.out.printf("this JVM's -XX options: %s (the launcher runs berth with -XX:TieredStopAtLevel=1"
                + " -XX:+UseSerialGC: set them in MAVEN_OPTS)%n", java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments().stream().filter(a -> a.startsWith("-XX:")).toList());
        Path work = Files.createTempDirectory("berth-bench-converge-");
        ConvergeBenchmark bench = null;
        try (TestRegistry registry = TestRegistry.start().pushBusybox()) {
            // chosen as berth chooses (a probe container for auto), kept in the run root that every apply then reads
            OciRuntimeChoice.Choice oci = new OciRuntimeChoice(new RuntimeLayout(runRoot()))
                    .choose(RuntimeBenchmark.preference());
            System.out.printf("OCI runtime %s (%s: %s)%n", oci.binary(),
                    Processes.run(oci.binary().toString(), "--version").lines().findFirst().orElse(oci.name()),
                    oci.reason());
            Podman podman = Boolean.parseBoolean(System.getProperty("bench.podman", "true"))
                    ? Podman.find(work.resolve("podman"), oci.name()) : null;
            bench = new ConvergeBenchmark(work, registry, launcher, podman, oci.name());
            bench.run(sizes, reps, warmUpEachSize);
        } finally {
            if (bench != null) {
                bench.close();
            } else {
                FileTrees.deleteRecursively(runRoot()); // the runtime's choice, if made
            }
            new Mounter().unmountAllUnder(work); // never delete through a mount
            FileTrees.deleteRecursively(work);
        }
    }

    private static Path runRoot() {
        return Path.of("/run/berth-bench-" + ProcessHandle.current().pid());
    }

    /** The launcher script next to the packaged jar, in the build directory the test classes were compiled into. */
    static Path launcher() throws Exception {
        Path testClasses = Path.of(ConvergeBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = testClasses.getParent();
        Path script = dir.resolve("berth");
        if (Files.isRegularFile(dir.resolve("berth.jar")) && Files.isRegularFile(script)) {
            return script;
        }
        System.out.println("no berth.jar and launcher in " + dir + " (run `mvn package -DskipTests` first): CLI figures"
                + " skipped");
        return null;
    }

    /** Which tool converges, and how. */
    private enum Tool { IN_PROCESS, CLI, PODMAN }

    private void run(int[] sizes, int reps, boolean warmUpEachSize) throws Exception {
        List<Tool> tools = new ArrayList<>(List.of(Tool.IN_PROCESS));
        if (launcher != null) {
            tools.add(Tool.CLI);
        }
        if (podman != null) {
            tools.add(Tool.PODMAN);
            System.out.println(podman.version() + ", --runtime " + runtime + ", --network none; storage in a private"
                    + " --root");
            podman.pull(image);
        } else {
            System.out.println("podman not installed (or -Dbench.podman=false): no ratio");
        }
        // warm-up: pulls the image into the state root (and podman's storage), makes the launcher's CDS archive,
        // podman's pause image and the JIT's first pass; every timed run after it has the image present
        Path yaml = writePods(1);
        for (Tool tool : tools) {
            converge(tool, yaml, 1);
            prune(tool, yaml);
        }
        Map<Integer, Map<Tool, long[]>> up = new LinkedHashMap<>();
        Map<Integer, Map<Tool, long[]>> down = new LinkedHashMap<>();
        for (int n : sizes) {
            yaml = writePods(n);
            Map<Tool, long[]> upTimes = new LinkedHashMap<>();
            Map<Tool, long[]> downTimes = new LinkedHashMap<>();
            tools.forEach(t -> {
                upTimes.put(t, new long[reps]);
                downTimes.put(t, new long[reps]);
            });
            if (warmUpEachSize) { // an untimed round: the JIT compiles the per-pod paths at this size, as in berth watch
                for (Tool tool : tools) {
                    converge(tool, yaml, n);
                    prune(tool, yaml);
                }
            }
            for (int rep = 0; rep < reps; rep++) { // interleaved, one tool's pods gone before the next starts
                for (Tool tool : tools) {
                    upTimes.get(tool)[rep] = converge(tool, yaml, n);
                    downTimes.get(tool)[rep] = prune(tool, yaml);
                }
            }
            up.put(n, upTimes);
            down.put(n, downTimes);
            loads.put(n, MachineLoad.now());
            System.out.printf("%d pods: %s; %s%n", n, summary(upTimes, downTimes), loads.get(n));
        }
        report(tools, reps, up, down);
    }

    /** N plain pods in one multi-document file: what podman plays and what berth's repository holds. */
    private Path writePods(int n) throws IOException {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append(i == 0 ? "" : "---\n").append("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: %s%d}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - {name: main, image: "%s", command: [sleep, "3600"]}
                    """.formatted(POD_PREFIX, i, image));
        }
        return Files.writeString(work.resolve("pods-" + n + ".yaml"), yaml.toString());
    }

    /** Wall time in ns from the start of the converging command until all n pods run. */
    private long converge(Tool tool, Path yaml, int n) throws Exception {
        if (tool != Tool.PODMAN) {
            commitRepo(yaml);
        }
        long start = System.nanoTime();
        switch (tool) {
            case IN_PROCESS, CLI -> apply(tool);
            case PODMAN -> podman.run("kube", "play", "--network", "none", yaml.toString());
        }
        long returned = System.nanoTime();
        long deadline = returned + TimeUnit.SECONDS.toNanos(60);
        boolean waited = false;
        while (running(tool) != n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(tool + ": " + running(tool) + " of " + n + " pods running after 60 s");
            }
            waited = true;
            Thread.sleep(10);
        }
        return waited ? System.nanoTime() - start : returned - start;
    }

    /** Wall time in ns to remove every pod again: berth applies an empty commit, podman plays the file down. */
    private long prune(Tool tool, Path yaml) throws Exception {
        if (tool != Tool.PODMAN) {
            commitRepo(null);
        }
        long start = System.nanoTime();
        switch (tool) {
            case IN_PROCESS, CLI -> apply(tool);
            case PODMAN -> podman.run("kube", "down", yaml.toString());
        }
        long took = System.nanoTime() - start;
        if (tool == Tool.PODMAN ? !podman.containers(false).isEmpty() : !berthPods().isEmpty()) {
            throw new IllegalStateException(tool + ": pods left after pruning");
        }
        return took;
    }

    /** Makes the repository hold only {@code yaml} (as pods.yaml), or nothing, and commits. */
    private void commitRepo(Path yaml) throws IOException {
        Path target = repo.dir().resolve("pods.yaml");
        if (yaml == null) {
            Files.deleteIfExists(target);
        } else {
            Files.copy(yaml, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        repo.commit("bench");
    }

    private void apply(Tool tool) throws Exception {
        List<String> args = List.of("apply", "--repo", repo.dir().toString(), "--config", config.toString(),
                "--root", stateRoot.toString(), "--run-root", runRoot.toString(), "--runtime", runtime,
                "--timeout", "5m", "-q");
        if (tool == Tool.IN_PROCESS) {
            CliRun run = CliRun.of(args.toArray(String[]::new));
            if (run.exitCode() != 0) {
                throw new IllegalStateException("berth apply failed: " + run);
            }
            return;
        }
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString())); // resources lose the x bit
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString()); // the launcher's CDS archive
        Processes.run(pb);
    }

    private List<PodSnapshot> berthPods() {
        return new PodObserver(new StateLayout(stateRoot), new ContainerRuntime(new RuntimeLayout(runRoot))).observe();
    }

    private int running(Tool tool) {
        if (tool == Tool.PODMAN) {
            return podman.containers(true).size();
        }
        return (int) berthPods().stream().filter(p -> p.phase() == PodPhase.RUNNING && p.running("main")).count();
    }

    private String summary(Map<Tool, long[]> up, Map<Tool, long[]> down) {
        List<String> parts = new ArrayList<>();
        up.forEach((tool, t) -> parts.add(String.format("%s %s (prune %s)", label(tool), seconds(t), seconds(down.get(tool)))));
        return String.join(" | ", parts);
    }

    private static String seconds(long[] nanos) {
        return Arrays.stream(nanos).mapToObj(t -> String.format("%.2f", t / 1e9)).reduce((a, b) -> a + " " + b).orElse("")
                + " s";
    }

    private void report(List<Tool> tools, int reps, Map<Integer, Map<Tool, long[]>> up, Map<Integer, Map<Tool, long[]>> down) {
        System.out.printf("%nconverge N plain pods (busybox sleep, image present), start to all running, on %s; medians"
                + " of %d runs, tools interleaved%n", runtime, reps);
        StringBuilder header = new StringBuilder(String.format("%5s", "N"));
        tools.forEach(t -> header.append(String.format(" | %20s", label(t))));
        if (podman != null) {
            tools.stream().filter(t -> t != Tool.PODMAN)
                    .forEach(t -> header.append(String.format(" | %16s", "podman / " + shortLabel(t))));
        }
        for (String what : List.of("converge", "prune")) {
            Map<Integer, Map<Tool, long[]>> times = what.equals("converge") ? up : down;
            System.out.println(what + (what.equals("prune") ? " (berth: apply of an empty commit; podman: kube down)" : ""));
            System.out.println(header);
            times.forEach((n, byTool) -> {
                StringBuilder row = new StringBuilder(String.format("%5d", n));
                tools.forEach(t -> row.append(String.format(" | %18.3f s", median(byTool.get(t)) / 1e9)));
                if (podman != null) {
                    long theirs = median(byTool.get(Tool.PODMAN));
                    tools.stream().filter(t -> t != Tool.PODMAN).forEach(t -> row.append(
                            String.format(" | %15.2fx", (double) theirs / median(byTool.get(t)))));
                }
                System.out.println(row + " | " + loads.get(n));
            });
        }
        if (!up.containsKey(20)) {
            return;
        }
        double warm = median(up.get(20).get(Tool.IN_PROCESS)) / 1e9;
        System.out.printf("target (issue 16): converge 20 plain pods, image present, warm JVM, <= 0.6 s with crun on this"
                + " machine: %.2f s on %s, %s; %s%n", warm, runtime, !runtime.equals("crun") ? "not the target's runtime"
                : warm <= 0.6 ? "met" : "missed", loads.get(20));
        if (podman == null) {
            return;
        }
        double ratio = (double) median(up.get(20).get(Tool.PODMAN)) / median(up.get(20).get(Tool.IN_PROCESS));
        System.out.printf("target (issue 16): >= 6x faster than podman kube play with podman on the same runtime, 20 pods,"
                + " interleaved: %.2fx in process (podman --runtime %s), %s; %s%n", ratio, runtime,
                ratio >= 6 ? "met" : "missed", loads.get(20));
        if (tools.contains(Tool.CLI)) {
            double cli = (double) median(up.get(20).get(Tool.PODMAN)) / median(up.get(20).get(Tool.CLI));
            System.out.printf("target (issue 16): a cold CLI apply of 20 pods >= 3x faster than kube play: %.2fx, %s; %s%n",
                    cli, cli >= 3 ? "met" : "missed", loads.get(20));
        }
    }

    private static String label(Tool tool) {
        return switch (tool) {
            case IN_PROCESS -> "berth in process";
            case CLI -> "berth CLI (launcher)";
            case PODMAN -> "podman kube";
        };
    }

    private static String shortLabel(Tool tool) {
        return tool == Tool.IN_PROCESS ? "in-proc" : "CLI";
    }

    static long median(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).sorted().toArray();
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }

    /** Prunes whatever a failed run left, in berth and podman, then removes the run root. */
    private void close() {
        if (podman != null) {
            try {
                podman.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        try {
            commitRepo(null);
            CliRun.of("apply", "--repo", repo.dir().toString(), "--config", config.toString(), "--root",
                    stateRoot.toString(), "--run-root", runRoot.toString(), "--runtime", runtime, "--timeout", "5m",
                    "-q");
        } catch (Exception e) {
            System.err.println("cleanup: " + e);
        } finally {
            repo.close();
            new Mounter().unmountAllUnder(runRoot);
            try {
                FileTrees.deleteRecursively(runRoot);
            } catch (IOException e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
