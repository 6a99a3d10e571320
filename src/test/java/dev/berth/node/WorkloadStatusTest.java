package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.workload.Health;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadStatusTest {

    private static final ResourceKey KEY = new ResourceKey("Deployment", "default", "web");
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path root;

    @Test
    void aPassThatFindsTheSameLeavesTheFileAlone() {
        StateLayout layout = new StateLayout(root);
        WorkloadStatus first = new WorkloadStatus(Health.HEALTHY, "2/2 ready", T0, Map.of("revision", "3"), 1, null);
        first.write(layout, KEY);

        WriteBatch later = new WriteBatch();
        new WorkloadStatus(Health.HEALTHY, "2/2 ready", T0.plusSeconds(5), Map.of("revision", "3"), 1, null)
                .writeOver(first, layout, KEY, later);
        later.write();

        assertEquals(first, WorkloadStatus.read(layout, KEY).orElseThrow());
    }

    @Test
    void whatAPassDerivesAgainWaitsForTheBatch() {
        StateLayout layout = new StateLayout(root);
        WriteBatch later = new WriteBatch();
        WorkloadStatus created = new WorkloadStatus(Health.PROGRESSING, "creating", T0, Map.of(), 0, null);
        created.writeOver(null, layout, KEY, later);
        assertTrue(WorkloadStatus.read(layout, KEY).isEmpty());
        later.write();
        assertEquals(created, WorkloadStatus.read(layout, KEY).orElseThrow());

        for (WorkloadStatus next : new WorkloadStatus[] {
                new WorkloadStatus(Health.HEALTHY, "creating", T0.plusSeconds(1), Map.of(), 0, null),
                new WorkloadStatus(Health.HEALTHY, "Running, ready", T0.plusSeconds(2), Map.of(), 0, null),
                new WorkloadStatus(Health.DEGRADED, "Running, ready", T0.plusSeconds(3), Map.of(), 0, "boom")}) {
            next.writeOver(WorkloadStatus.read(layout, KEY).orElseThrow(), layout, KEY, later);
            later.write();
            assertEquals(next, WorkloadStatus.read(layout, KEY).orElseThrow());
        }
    }

    @Test
    void aNewMemoOrDriftCountIsWrittenAtOnce() {
        StateLayout layout = new StateLayout(root);
        WriteBatch later = new WriteBatch();
        WorkloadStatus withMemo = new WorkloadStatus(Health.PROGRESSING, "rolling", T0, Map.of("revision", "2"), 0, null);
        withMemo.writeOver(null, layout, KEY, later);
        assertEquals(withMemo, WorkloadStatus.read(layout, KEY).orElseThrow());

        WorkloadStatus drifted = new WorkloadStatus(Health.PROGRESSING, "rolling", T0, Map.of("revision", "2"), 1, null);
        drifted.writeOver(withMemo, layout, KEY, later);
        assertEquals(drifted, WorkloadStatus.read(layout, KEY).orElseThrow());
    }
}
