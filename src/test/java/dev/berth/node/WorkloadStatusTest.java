package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.ResourceKey;
import dev.berth.node.workload.Health;
import dev.berth.store.StateLayout;
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
        first.writeOver(null, layout, KEY);

        new WorkloadStatus(Health.HEALTHY, "2/2 ready", T0.plusSeconds(5), Map.of("revision", "3"), 1, null)
                .writeOver(first, layout, KEY);

        assertEquals(first, WorkloadStatus.read(layout, KEY).orElseThrow());
    }

    @Test
    void anyOtherChangeIsWritten() {
        StateLayout layout = new StateLayout(root);
        WorkloadStatus first = new WorkloadStatus(Health.PROGRESSING, "creating", T0, Map.of(), 0, null);
        first.writeOver(null, layout, KEY);
        for (WorkloadStatus next : new WorkloadStatus[] {
                new WorkloadStatus(Health.HEALTHY, "creating", T0.plusSeconds(1), Map.of(), 0, null),
                new WorkloadStatus(Health.HEALTHY, "Running, ready", T0.plusSeconds(2), Map.of(), 0, null),
                new WorkloadStatus(Health.HEALTHY, "Running, ready", T0.plusSeconds(3), Map.of("k", "v"), 0, null),
                new WorkloadStatus(Health.HEALTHY, "Running, ready", T0.plusSeconds(4), Map.of("k", "v"), 1, null),
                new WorkloadStatus(Health.HEALTHY, "Running, ready", T0.plusSeconds(5), Map.of("k", "v"), 1, "boom")}) {
            next.writeOver(WorkloadStatus.read(layout, KEY).orElseThrow(), layout, KEY);
            assertEquals(next, WorkloadStatus.read(layout, KEY).orElseThrow());
        }
    }
}
