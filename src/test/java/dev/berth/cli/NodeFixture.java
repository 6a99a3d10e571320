package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodSnapshot;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.OciRuntime;
import dev.berth.runtime.MountTable;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.FileTrees;
import dev.berth.testing.CliRun;
import dev.berth.testing.DnsServers;
import dev.berth.testing.GitDaemon;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRepo;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A node for integration tests: a git repository (served by {@code git daemon} on 127.0.0.1 on request), a state
 * root and a run root of its own, images from a real registry on 127.0.0.1. {@link #close} prunes everything through berth and checks nothing is left behind.
 */
final class NodeFixture implements AutoCloseable {

    final TestRepo repo;
    final Path root;
    final Path runRoot;
    final Path config;
    private final Path dir;
    private GitDaemon server;

    NodeFixture(Path dir, TestRegistry registry, String configExtra) throws IOException {
        this.dir = dir;
        this.repo = TestRepo.init(dir.resolve("repo"));
        this.root = dir.resolve("state");
        this.runRoot = Path.of("/run/berth-it-" + ProcessHandle.current().pid() + "-" + dir.getFileName());
        this.config = dir.resolve("config.yaml");
        DnsServers.killOrphans();
        Files.writeString(config, "registries:\n  docker.io: {mirrors: [\"" + registry.url() + "\"]}\n" + configExtra);
    }

    /** Commits {@code files} (path, yaml, path, yaml, ...) replacing what the repository had. */
    NodeFixture commit(String... files) throws IOException {
        try (Stream<Path> old = Files.list(repo.dir())) {
            for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList()) {
                Files.delete(p);
            }
        }
        for (int i = 0; i < files.length; i += 2) {
            repo.write(files[i], files[i + 1]);
        }
        repo.commit("change");
        push();
        return this;
    }

    /**
     * Serves the repository with {@code git daemon} on 127.0.0.1 (once), as a git server would, and returns its URL; from
     * then on {@link #commit} pushes each commit there (call {@link #push} after committing through {@link #repo}).
     */
    String serve() throws IOException {
        if (server == null) {
            server = GitDaemon.serve(Files.createDirectories(dir.resolve("served")), "node.git");
            push();
        }
        return server.url();
    }

    /** The git daemon {@link #serve} started. */
    GitDaemon server() {
        return server;
    }

    void push() {
        if (server != null) {
            server.push(repo);
        }
    }

    CliRun apply(String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", "--repo", repo.dir().toString(), "--config", config.toString(),
                "--root", root.toString(), "--run-root", runRoot.toString(), "--timeout", "2m"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * {@code berth watch -v} from the built jar, as its own process (so that signals are real), on this node's
     * repository as git daemon serves it; {@code args} come after the node's own (interval, resync, ...).
     */
    WatchProcess watch(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> all = new ArrayList<>(List.of("-v", "--repo", serve(), "--config", config.toString(), "--root",
                root.toString(), "--run-root", runRoot.toString()));
        all.addAll(List.of(args));
        return WatchProcess.start(List.of(java, "-jar", jar.toString()), dir, all, Map.of());
    }

    CliRun berth(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--root", root.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    List<PodSnapshot> pods() {
        return services().observer().observe();
    }

    /** What runc says of one container now. */
    ContainerStatus containerStatus(String id) {
        return services().containers().state(id);
    }

    /** Runs {@code command} in a running container, as a probe would. */
    OciRuntime.ExecResult exec(String containerId, String... command) {
        return services().containers().exec(containerId, List.of(command), Duration.ofSeconds(10));
    }

    private NodeServices services() {
        GlobalOptions global = new GlobalOptions();
        global.configFile = config;
        global.root = root;
        NodeServices.RunRoot run = new NodeServices.RunRoot();
        run.dir = runRoot;
        return new NodeServices(global, run);
    }

    List<PodSnapshot> pods(Predicate<PodSnapshot> filter) {
        return pods().stream().filter(filter).toList();
    }

    PodSnapshot pod(String name) {
        List<PodSnapshot> named = pods(p -> p.record().name().equals(name));
        assertEquals(1, named.size(), "pods named " + name + ": " + named);
        return named.get(0);
    }

    /** The pods whose network is attached under {@code runRoot}: the CNI results kept for their removal. */
    static List<String> cniResults(Path runRoot) throws IOException {
        Path results = new RuntimeLayout(runRoot).cniResults();
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(results)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Polls until {@code condition} holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Prunes everything berth runs, then checks that no pod, mount, bundle, pod network or cgroup is left. */
    @Override
    public void close() throws IOException {
        AssertionError failed = null;
        try {
            commit();
            CliRun pruned = apply("--allow-empty");
            assertEquals(0, pruned.exitCode(), pruned.toString());
            assertEquals(List.of(), pods(), "pods left after pruning everything");
            assertEquals(List.of(), MountTable.mountPointsUnder(root), "mounts left under the state root");
            assertEquals(List.of(), MountTable.mountPointsUnder(runRoot), "mounts left under the run root");
            try (Stream<Path> bundles = Files.list(runRoot.resolve("bundles"))) {
                assertEquals(List.of(), bundles.toList(), "bundles left");
            }
            assertEquals(List.of(), cniResults(runRoot), "pod networks left (cached CNI results)");
            assertEquals(List.of(), DnsServers.killUnder(runRoot), "the pods' DNS server left running");
            assertFalse(Files.exists(runRoot.resolve("dns/hosts")), "the Services' DNS names left");
        } catch (AssertionError e) {
            failed = e;
        } finally {
            repo.close();
            if (server != null) {
                server.close();
            }
            DnsServers.killUnder(runRoot);
            for (Path mount : MountTable.mountPointsUnder(runRoot)) {
                new ProcessBuilder("umount", "-l", mount.toString()).start();
            }
            try {
                FileTrees.deleteRecursively(runRoot);
            } catch (IOException e) { // what the failure left: the failure says more
                if (failed == null) {
                    throw e;
                }
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
