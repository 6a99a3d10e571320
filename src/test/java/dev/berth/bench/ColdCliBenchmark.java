package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cold CLI commands through the launcher as installed (target/berth), on the second run after install: a first run of
 * each verb group starts its class-data archive's training, which is awaited before the timed runs. Prints the median
 * and min of 10 runs of each command, with the machine's load. Needs root for the no-op apply (a state and run root of
 * its own under /tmp; a Namespace-only repository, so no pod runs). Run with {@code mvn -q package -DskipTests} first,
 * then {@code mvn -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.berth.bench.ColdCliBenchmark}.
 */
public final class ColdCliBenchmark {

    private static final int RUNS = 10;

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(System.getProperty("berth.launcher", "target/berth")).toAbsolutePath();
        Path work = Files.createTempDirectory("berth-cold-");
        Path cache = work.resolve("cache");
        Path repo = namespaceOnlyRepository(work.resolve("repo"));
        List<String> node = List.of("--root", work.resolve("state").toString());
        List<List<String>> commands = List.of(
                List.of("version"),
                List.of("--help"),
                with(List.of("status"), node),
                List.of("plan", "--repo", ".", "--path", "manifests-example", "--policies", "policies"),
                with(List.of("apply", "--repo", repo.toString(), "--run-root", work.resolve("run").toString()), node));
        for (List<String> command : commands) { // the first run after install: trains the group's archive
            run(launcher, cache, command);
            awaitTraining(cache);
        }
        System.out.printf("cold CLI through target/berth, %d runs each, %s%n", RUNS, MachineLoad.now());
        for (List<String> command : commands) {
            long[] wall = new long[RUNS];
            int exit = 0;
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                exit = run(launcher, cache, command);
                wall[i] = System.nanoTime() - start;
            }
            Arrays.sort(wall);
            System.out.printf("  berth %-60.60s median %4d ms  min %4d ms  exit %d%n", String.join(" ", command),
                    wall[RUNS / 2] / 1_000_000, wall[0] / 1_000_000, exit);
        }
        System.out.printf("after: %s%n", MachineLoad.now());
    }

    private static int run(Path launcher, Path cache, List<String> command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("sh", launcher.toString()));
        all.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(all).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        return builder.start().waitFor();
    }

    /** The launcher trains in the background, with a {@code .training} directory while it works. */
    private static void awaitTraining(Path cache) throws IOException, InterruptedException {
        Path dir = cache.resolve("berth");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
                if (files.noneMatch(f -> f.toString().endsWith(".training"))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the archive's training did not end within 2 minutes");
    }

    private static Path namespaceOnlyRepository(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: cold}\n");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("ns").setAuthor("b", "b@localhost").setCommitter("b", "b@localhost")
                    .setSign(false).call();
        }
        return dir;
    }

    private static List<String> with(List<String> command, List<String> options) {
        List<String> all = new ArrayList<>(command);
        all.addAll(options);
        return all;
    }
}
