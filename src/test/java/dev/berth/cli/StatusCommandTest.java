package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.node.PodState;
import dev.berth.sync.SyncState;
import dev.berth.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth status} on state roots written by the node's own writers. */
class StatusCommandTest {

    @TempDir
    Path tmp;
    NodeState node;
    /** Ages are taken 10 s into their minute, so that a slow run still prints the same age. */
    Instant now = Instant.now();

    @BeforeEach
    void node() {
        node = new NodeState(tmp.resolve("state"));
    }

    Instant ago(int minutes) {
        return NodeState.ago(now, minutes);
    }

    void appliedNode() {
        node.appliedShop(now, "applied 4 changes");
        node.object("Namespace", "", "shop", null, null, 0, null);
        node.pods.pod("default.worker.3c4d5e", NodeState.pod(null, "worker", "main"), ago(20));
        node.pods.state("default.worker.3c4d5e",
                PodState.unscheduled("Unschedulable", "0/1 nodes are available: 1 Insufficient memory."));
    }

    @Test
    void textShowsTheSyncTheObjectsAndThePods() {
        appliedNode();
        CliRun run = node.run("status");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("""
                Source:    /srv/ops.git, ref main, path deploy
                Revision:  0123456789ab, applied %s (20m ago)
                Result:    Synced: applied 4 changes
                Sync:      OutOfSync (1 object not healthy; 1 object failing to converge)

                KIND         NAMESPACE   NAME     HEALTH     MESSAGE                                  DRIFT
                ConfigMap    shop        cfg      Healthy                                             0
                Deployment   shop        web      Degraded   0/1 pods ready                           2
                Job          shop        backup   Healthy    running; last error: image pull failed   0
                Namespace                shop     Healthy                                             0

                NAMESPACE   NAME             READY   STATUS             RESTARTS      AGE   IP       LAST EXIT
                shop        web-5d8f-abcde   0/1     CrashLoopBackOff   4 (30m ago)   45m   <none>   1 (Error)
                default     worker           0/1     Unschedulable      0             20m   <none>   <none>
                """.formatted(ago(20).truncatedTo(ChronoUnit.SECONDS)), run.out());
    }

    @Test
    void aRollbackPinsTheNodeAndAFailedApplyIsOutOfSync() {
        new SyncState("/srv/ops.git", "main", "", NodeState.SHA, ago(20), "Failed", "image busybox:9 not found",
                "fedcba9876543210fedcba9876543210fedcba98").write(node.layout);
        CliRun run = node.run("status");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("Source:    /srv/ops.git, ref main",
                "Revision:  0123456789ab, applied " + ago(20).truncatedTo(ChronoUnit.SECONDS) + " (20m ago)",
                "Result:    Failed: image busybox:9 not found",
                "Pinned:    pinned by rollback; `berth resume` to follow main again",
                "Sync:      OutOfSync (last apply Failed)", "", "No pods."), run.out().lines().toList());
    }

    @Test
    void aSourceWithoutARefFollowsHead() {
        new SyncState("/srv/ops.git", null, "", NodeState.SHA, ago(20), "Synced", "converged",
                "fedcba9876543210fedcba9876543210fedcba98").write(node.layout);
        List<String> lines = node.run("status").out().lines().toList();
        assertEquals("Source:    /srv/ops.git, ref HEAD", lines.get(0));
        assertEquals("Pinned:    pinned by rollback; `berth resume` to follow HEAD again", lines.get(3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheSameData() {
        appliedNode();
        CliRun run = node.run("status", "-o", "json");
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Object> json = run.json();
        assertEquals(true, json.get("applied"));
        assertEquals(Map.of("repo", "/srv/ops.git", "ref", "main", "path", "deploy"), json.get("source"));
        assertEquals(NodeState.SHA, json.get("revision"));
        assertEquals("OutOfSync", json.get("sync"));
        assertEquals(List.of("1 object not healthy", "1 object failing to converge"), json.get("outOfSync"));
        List<Map<String, Object>> objects = (List<Map<String, Object>>) json.get("objects");
        assertEquals(List.of("ConfigMap", "Deployment", "Job", "Namespace"),
                objects.stream().map(o -> o.get("kind")).toList());
        assertEquals("Degraded", objects.get(1).get("health"));
        assertEquals(2, objects.get(1).get("drift"));
        assertEquals("image pull failed", objects.get(2).get("lastError"));
        List<Map<String, Object>> pods = (List<Map<String, Object>>) json.get("pods");
        Map<String, Object> web = pods.get(0);
        assertEquals("shop.web-5d8f-abcde.0a1b2c", web.get("id"));
        assertEquals("Running", web.get("phase"));
        assertEquals("CrashLoopBackOff", web.get("status"));
        assertEquals(4, web.get("restarts"));
        assertEquals(Map.of("kind", "Deployment", "namespace", "shop", "name", "web"), web.get("owner"));
        assertEquals(Map.of("container", "app", "exitCode", 1, "reason", "Error", "finishedAt", ago(30).toString(),
                "message", "panic: boom"), web.get("lastExit"));
        assertEquals("Pending", pods.get(1).get("phase"));
        assertEquals(null, pods.get(1).get("lastExit"));
    }

    @Test
    void aNodeWithoutStateHasNothingAppliedYet() {
        CliRun run = node.run("status");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("Nothing applied yet (no sync state in " + node.root + ").\n\nNo pods.\n", run.out());
        assertFalse(Files.exists(node.root), "status only reads");
        Map<String, Object> json = node.run("status", "-o", "json").json();
        assertEquals(false, json.get("applied"));
        assertEquals(null, json.get("sync"));
        assertEquals(List.of(), json.get("pods"));
    }

    @Test
    void anUnknownFormatIsOneLine() {
        CliRun run = node.run("status", "-o", "yaml");
        assertEquals(1, run.exitCode());
        assertEquals("error: unknown output format \"yaml\" (text or json)\n", run.err());
    }
}
