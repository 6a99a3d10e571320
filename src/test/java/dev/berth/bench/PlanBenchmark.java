package dev.berth.bench;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.TreeReader;
import dev.berth.git.GitCredentials;
import dev.berth.git.GitSource;
import dev.berth.git.Snapshot;
import dev.berth.git.SourceSpec;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.plan.ActualState;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.policy.PolicySet;
import dev.berth.policy.Violation;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Plan timings for the README: warm in-process plans of generated 1,000- and 10,000-object repositories, and the
 * wall time of {@code java -jar target/berth.jar plan}. Run from the repository root (it reads policies/ and
 * target/berth.jar there). A main program rather than a test, so that no build fails on a slow machine.
 */
public final class PlanBenchmark {

    private static final String[] PHASES = {"git", "parse", "policy", "plan"};
    private static final int CLI_RUNS = 5;

    private final Path cwd = Path.of("").toAbsolutePath();

    private record Run(long[] nanos, DesiredState desired, ActualState actual, Plan plan) {
    }

    public static void main(String[] args) throws Exception {
        new PlanBenchmark().run();
    }

    private void run() throws Exception {
        System.out.printf("java %s, %d cpus, max heap %d MB, in %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, cwd);
        long heapBefore = heapAfterGc();
        Path tmp = Files.createTempDirectory("berth-bench-");
        try {
            SyntheticRepo.Generated small = SyntheticRepo.create(tmp.resolve("repo-1000"), 1000);
            warm(small, 20, 15); // the first to run: the JIT needs ~20 plans before times settle
            SyntheticRepo.Generated large = SyntheticRepo.create(tmp.resolve("repo-10000"), 10000);
            Run held = warm(large, 5, 5);
            System.out.printf("heap used after GC, holding the 10000-object desired state, actual state and plan: %d MB"
                    + " (%d MB before)%n", heapAfterGc() >> 20, heapBefore >> 20);
            Reference.reachabilityFence(held);
            for (boolean launcher : new boolean[] {false, true}) {
                cli("manifests-example", launcher, List.of("--repo", cwd.toString(), "--path", "manifests-example"));
                cli("generated 1000 objects", launcher, List.of("--repo", small.dir().toString()));
            }
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Plans the head commit against nothing, then against the base commit as if a node had applied it. */
    private Run warm(SyntheticRepo.Generated repo, int warmups, int runs) {
        // The base commit stands for a node's recorded state, read once: only Planner.plan is timed with it.
        Snapshot base = snapshot(repo.dir(), repo.baseCommit());
        ActualState applied = ActualState.appliedFrom(new ManifestLoader().load(base.tree(), "", base.revision()));
        Map<String, ActualState> against = new LinkedHashMap<>();
        against.put("empty", ActualState.empty());
        against.put("base commit (1% changed)", applied);
        Run last = null;
        for (Map.Entry<String, ActualState> a : against.entrySet()) {
            List<long[]> samples = new ArrayList<>();
            for (int i = 0; i < warmups + runs; i++) {
                last = once(repo.dir(), a.getValue());
                int expected = a.getValue() == applied ? repo.changed() : last.desired().size();
                if (last.plan().actions().size() != expected) {
                    throw new IllegalStateException("expected " + expected + " actions, got " + last.plan().actions().size());
                }
                if (i >= warmups) {
                    samples.add(last.nanos());
                }
            }
            StringBuilder line = new StringBuilder("plan %5d objects against %-24s (warm, in-process, %2d runs): total median %4d ms (min %4d)"
                    .formatted(last.desired().size(), a.getKey(), runs, millis(samples, 4, true), millis(samples, 4, false)));
            for (int p = 0; p < PHASES.length; p++) {
                line.append(" | %s %d".formatted(PHASES[p], millis(samples, p, true)));
            }
            System.out.println(line);
        }
        return last;
    }

    /** What `berth plan` does, phase by phase: git, parse and validate, load policies and evaluate, plan. */
    private Run once(Path repo, ActualState actual) {
        long start = System.nanoTime();
        Snapshot head = snapshot(repo, null);
        long read = System.nanoTime();
        DesiredState desired = new ManifestLoader().load(head.tree(), "", head.revision());
        long parsed = System.nanoTime();
        List<Violation> violations = PolicySet.load(new DirectoryTreeReader(cwd), "policies").evaluate(desired);
        long checked = System.nanoTime();
        Plan plan = new Planner().plan(desired, actual);
        long planned = System.nanoTime();
        if (!violations.isEmpty()) {
            throw new IllegalStateException("generated objects violate the policies: " + violations.get(0));
        }
        long[] nanos = {read - start, parsed - read, checked - parsed, planned - checked, planned - start};
        return new Run(nanos, desired, actual, plan);
    }

    /** Resolves the commit and reads every file, so "git" holds all of git's work (the CLI reads lazily, in "parse"). */
    private static Snapshot snapshot(Path repo, String ref) {
        try (GitSource git = new GitSource()) {
            Snapshot s = git.resolve(new SourceSpec(repo.toString(), ref, null, GitCredentials.none()));
            Map<String, byte[]> files = new LinkedHashMap<>();
            s.tree().list("").forEach(f -> files.put(f, s.tree().read(f)));
            return new Snapshot(s.revision(), s.ref(), new InMemoryTree(files, s.tree().describe()));
        }
    }

    private record InMemoryTree(Map<String, byte[]> files, String describe) implements TreeReader {
        @Override
        public List<String> list(String dir) {
            return files.keySet().stream().filter(f -> dir.isEmpty() || f.startsWith(dir + "/")).toList();
        }

        @Override
        public boolean isDirectory(String dir) {
            return dir.isEmpty() || !list(dir).isEmpty();
        }

        @Override
        public byte[] read(String path) {
            return files.get(path);
        }
    }

    /**
     * Wall time of a fresh JVM: {@code java -jar target/berth.jar}, or the launcher {@code target/berth} (whose
     * class-data archive is made by an untimed first run).
     */
    private void cli(String what, boolean launcher, List<String> repoArgs) throws Exception {
        Path jar = cwd.resolve("target/berth.jar");
        if (!Files.isRegularFile(jar)) {
            System.out.println("cli: " + jar + " not found: run `mvn -q package -DskipTests` first; skipping the CLI timings");
            return;
        }
        List<String> command = new ArrayList<>(launcher
                ? List.of("sh", cwd.resolve("target/berth").toString(), "plan")
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "plan"));
        command.addAll(repoArgs);
        command.addAll(List.of("--policies", cwd.resolve("policies").toString(), "--against", "empty", "-o", "json"));
        Path stderr = Files.createTempFile("berth-bench-", ".err");
        long[] wall = new long[CLI_RUNS];
        int exit = -1;
        try {
            if (launcher) {
                new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile()).start().waitFor();
            }
            for (int i = 0; i < CLI_RUNS; i++) {
                long start = System.nanoTime();
                exit = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile()).start().waitFor();
                wall[i] = System.nanoTime() - start;
                if (exit != 2) {
                    System.out.println("cli: exit " + exit + " (expected 2 = changes) from " + String.join(" ", command)
                            + "\n" + Files.readString(stderr));
                    return;
                }
            }
        } finally {
            Files.delete(stderr);
        }
        Arrays.sort(wall);
        System.out.printf("cli plan %-23s %-22s (cold JVM, %d runs): wall median %4d ms (min %4d), exit %d%n",
                what, launcher ? "via target/berth" : "via java -jar", CLI_RUNS, wall[CLI_RUNS / 2] / 1_000_000,
                wall[0] / 1_000_000, exit);
    }

    /** Median or min of one column of the samples, in ms. */
    private static long millis(List<long[]> samples, int column, boolean median) {
        long[] values = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        return (median ? values[values.length / 2] : values[0]) / 1_000_000;
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
