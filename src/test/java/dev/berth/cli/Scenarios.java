package dev.berth.cli;

import dev.berth.node.PodEvents;
import dev.berth.node.PodSnapshot;
import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestImages;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the acceptance scenarios share: the registry, the read-only commands on a fixture's node, pod events. */
final class Scenarios {

    private Scenarios() {}

    /** A registry with busybox 1.35 and 1.36, after checking the test can run (root, runc, conmon). */
    static TestRegistry registry() {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("runc", "conmon");
        TestRegistry.requirePrerequisites();
        return TestRegistry.start().pushBusybox().push(TestImages.busybox(), "library/busybox:1.36");
    }

    /** A command that looks at the node ({@code status}, {@code describe}, {@code logs}): state and run root. */
    static CliRun inspect(NodeFixture node, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", node.config.toString(), "--root", node.root.toString(),
                "--run-root", node.runRoot.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** {@code berth apply} of the fixture's repository giving up after {@code timeout} (e.g. "40s"). */
    static CliRun apply(NodeFixture node, String timeout, String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", "--repo", node.repo.dir().toString(),
                "--config", node.config.toString(), "--root", node.root.toString(),
                "--run-root", node.runRoot.toString(), "--timeout", timeout));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** {@code berth status -o json}, parsed. */
    static Map<String, Object> status(NodeFixture node) {
        CliRun run = inspect(node, "status", "-o", "json");
        if (run.exitCode() != 0) {
            throw new AssertionError("berth status failed: " + run);
        }
        return run.json();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> json, String field) {
        return (List<Map<String, Object>>) json.get(field);
    }

    /** The status JSON's entry of the pod named {@code name}. */
    static Map<String, Object> statusPod(Map<String, Object> status, String name) {
        List<Map<String, Object>> named = list(status, "pods").stream().filter(p -> name.equals(p.get("name"))).toList();
        if (named.size() != 1) {
            throw new AssertionError("pods named " + name + " in status: " + named);
        }
        return named.get(0);
    }

    /** The status JSON's entry of the applied object {@code kind/name} (namespace default). */
    static Map<String, Object> statusObject(Map<String, Object> status, String kind, String name) {
        return list(status, "objects").stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(o.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " not in status: " + status));
    }

    static Path podDir(NodeFixture node, String podId) {
        return node.root.resolve("pods").resolve(podId);
    }

    static List<PodEvents.Event> events(NodeFixture node, PodSnapshot pod) {
        return PodEvents.read(podDir(node, pod.id()));
    }

    static List<PodEvents.Event> events(NodeFixture node, PodSnapshot pod, String reason) {
        return events(node, pod).stream().filter(e -> e.reason().equals(reason)).toList();
    }

    /** The machine's memory as berth reads it (MemTotal), in bytes. */
    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no MemTotal in /proc/meminfo");
    }

    /** Config that reserves all of the machine's memory but {@code allocatableMiB}. */
    static String allocatableMemory(long allocatableMiB) {
        return "node:\n  reserved: {memory: \"" + (memTotal() - allocatableMiB * 1024 * 1024) + "\"}\n";
    }

    /**
     * Polls {@code condition} every {@code every} (which may itself act, e.g. run an apply as a user's timer would)
     * until it holds; fails after {@code timeout}.
     */
    static void awaitEvery(String what, Duration every, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(every.toMillis());
        }
    }
}
