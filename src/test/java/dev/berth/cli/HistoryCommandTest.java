package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.sync.History;
import dev.berth.sync.HistoryEntry;
import dev.berth.testing.CliRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth history} on a history written by the node's own writer. */
class HistoryCommandTest {

    static final String A = "a".repeat(40);
    static final String B = "b".repeat(40);

    @TempDir
    Path tmp;

    NodeState threeApplies() {
        NodeState node = new NodeState(tmp.resolve("state"));
        History history = new History(node.layout);
        history.append(new HistoryEntry(Instant.parse("2026-03-01T09:00:00Z"), A, "main", "Synced",
                "applied 5 changes", 5, false));
        history.append(new HistoryEntry(Instant.parse("2026-03-01T10:00:00Z"), B, "main", "Failed",
                "image busybox:9 not found", 1, false));
        history.append(new HistoryEntry(Instant.parse("2026-03-01T10:05:30.123Z"), A, "main", "Synced",
                "rolled back to aaaaaaaaaaaa", 2, true));
        return node;
    }

    @Test
    void newestFirstWithRollbacksMarked() {
        CliRun run = threeApplies().run("history");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("""
                REVISION       WHEN                   RESULT              CHANGES   MESSAGE
                aaaaaaaaaaaa   2026-03-01T10:05:30Z   Synced (rollback)   2         rolled back to aaaaaaaaaaaa
                bbbbbbbbbbbb   2026-03-01T10:00:00Z   Failed              1         image busybox:9 not found
                aaaaaaaaaaaa   2026-03-01T09:00:00Z   Synced              5         applied 5 changes
                """, run.out());
    }

    @Test
    void limitKeepsTheNewest() {
        assertEquals(List.of("REVISION       WHEN                   RESULT              CHANGES   MESSAGE",
                        "aaaaaaaaaaaa   2026-03-01T10:05:30Z   Synced (rollback)   2         rolled back to aaaaaaaaaaaa"),
                threeApplies().run("history", "-n", "1").out().lines().toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void json() {
        CliRun run = threeApplies().run("history", "-o", "json", "-n", "2");
        List<Map<String, Object>> history = (List<Map<String, Object>>) run.json().get("history");
        assertEquals(2, history.size());
        assertEquals(Map.of("revision", A, "ref", "main", "at", "2026-03-01T10:05:30.123Z", "result", "Synced",
                "message", "rolled back to aaaaaaaaaaaa", "changes", 2, "rollback", true), history.get(0));
        assertEquals("Failed", history.get(1).get("result"));
    }

    @Test
    void emptyAndBadInput() {
        NodeState none = new NodeState(tmp.resolve("none"));
        CliRun run = none.run("history");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("Nothing applied yet.\n", run.out());
        CliRun zero = none.run("history", "-n", "0");
        assertEquals(1, zero.exitCode());
        assertEquals("error: -n must be at least 1, not 0\n", zero.err());
    }
}
