package dev.berth.cli;

import static dev.berth.cli.Scenarios.inspect;
import static dev.berth.cli.Scenarios.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodSnapshot;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth rollback pins the node to an earlier revision until a new commit (or berth resume); history shows it. */
class RollbackIT {

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Revision A: app on 1.35 printing A, and a pod that only A has. */
    private static void commitA(NodeFixture node) throws Exception {
        node.commit("app.yaml", ApplyIT.pod("app", "busybox:1.35", "echo A; sleep 3600"),
                "only-a.yaml", ApplyIT.pod("only-a", "busybox:1.35", "sleep 3600"));
    }

    private static String image(PodSnapshot pod) {
        return pod.record().pod().getSpec().getContainers().get(0).getImage();
    }

    private static CliRun rollback(NodeFixture node, String... revision) {
        List<String> args = new java.util.ArrayList<>(List.of("rollback", "--config", node.config.toString(),
                "--root", node.root.toString(), "--run-root", node.runRoot.toString()));
        args.addAll(List.of(revision));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertRunsA(NodeFixture node) throws InterruptedException {
        PodSnapshot app = node.pod("app");
        assertEquals("busybox:1.35", image(app));
        assertTrue(app.running("main"), app.toString());
        assertTrue(node.pod("only-a").running("main"));
        NodeFixture.await("app to print A", Duration.ofSeconds(10), () -> inspect(node, "logs", "app").out().equals("A\n"));
    }

    private static void assertRuns(NodeFixture node, String version) throws InterruptedException {
        PodSnapshot app = node.pod("app");
        assertEquals("busybox:1.36", image(app));
        assertTrue(app.running("main"), app.toString());
        assertEquals(List.of(), node.pods(p -> p.record().name().equals("only-a")), "only-a is pruned");
        NodeFixture.await("app to print " + version, Duration.ofSeconds(10),
                () -> inspect(node, "logs", "app").out().equals(version + "\n"));
    }

    @Test
    void rollbackPinsTheNodeUntilANewCommitAndHistoryListsIt() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            commitA(node);
            assertEquals(0, node.apply().exitCode());
            String revA = (String) status(node).get("revision");
            node.commit("app.yaml", ApplyIT.pod("app", "busybox:1.36", "echo B; sleep 3600"));
            assertEquals(0, node.apply().exitCode());
            String revB = (String) status(node).get("revision");
            assertNotEquals(revA, revB);
            assertRuns(node, "B");

            CliRun back = rollback(node);
            assertEquals(0, back.exitCode(), back.toString());
            assertRunsA(node);
            Map<String, Object> pinned = status(node);
            assertEquals(revA, pinned.get("revision"), pinned.toString());
            assertEquals(revB, pinned.get("pinnedOver"), "pinned over the head it rolled back from");
            String text = inspect(node, "status").out();
            assertTrue(text.matches("(?s).*Pinned:\\s+pinned by rollback; `berth resume` to follow .*"), text);
            assertFalse(text.contains("null"), text);

            PodSnapshot rolledBack = node.pod("app");
            CliRun unchanged = node.apply();
            assertEquals(0, unchanged.exitCode(), unchanged.toString());
            assertTrue(unchanged.err().contains("pinned to " + revA.substring(0, 12) + " by a rollback"),
                    unchanged.toString());
            assertEquals(rolledBack.id(), node.pod("app").id(), "the pinned node stays on A");
            assertRunsA(node);
            assertEquals(revB, status(node).get("pinnedOver"));

            CliRun resumed = CliRun.of("resume", "--config", node.config.toString(), "--root", node.root.toString(),
                    "--run-root", node.runRoot.toString());
            assertEquals(0, resumed.exitCode(), resumed.toString());
            assertRuns(node, "B");
            assertNull(status(node).get("pinnedOver"), "resume unpins");
            assertEquals(revB, status(node).get("revision"));

            CliRun backAgain = rollback(node, revA.substring(0, 7));
            assertEquals(0, backAgain.exitCode(), backAgain.toString());
            assertRunsA(node);
            assertEquals(revB, status(node).get("pinnedOver"));

            node.commit("app.yaml", ApplyIT.pod("app", "busybox:1.36", "echo C; sleep 3600"));
            CliRun newCommit = node.apply();
            assertEquals(0, newCommit.exitCode(), newCommit.toString());
            assertFalse(newCommit.err().contains("pinned"), newCommit.toString());
            assertRuns(node, "C");
            Map<String, Object> followed = status(node);
            assertNull(followed.get("pinnedOver"), "a new commit unpins: " + followed);
            assertNotEquals(revA, followed.get("revision"));
            assertNotEquals(revB, followed.get("revision"));

            CliRun history = node.berth("history", "-o", "json");
            assertEquals(0, history.exitCode(), history.toString());
            List<Map<String, Object>> entries = Scenarios.list(history.json(), "history");
            // newest first: C, rollback to A, resume (B), rollback to A, B, A; the pinned apply changed nothing
            assertEquals(List.of(followed.get("revision"), revA, revB, revA, revB, revA),
                    entries.stream().map(e -> e.get("revision")).toList(), entries.toString());
            assertEquals(List.of(false, true, false, true, false, false),
                    entries.stream().map(e -> e.get("rollback")).toList(), entries.toString());
            assertTrue(entries.stream().allMatch(e -> e.get("result").equals("Synced")), entries.toString());
            CliRun table = node.berth("history");
            List<String> lines = table.out().lines().toList();
            assertTrue(lines.get(2).startsWith(revA.substring(0, 12)) && lines.get(2).contains("Synced (rollback)"),
                    table.out());
        }
    }
}
