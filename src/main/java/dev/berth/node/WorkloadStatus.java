package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.node.workload.Health;
import dev.berth.store.JsonFiles;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An applied object's health as the node last assessed it ({@code <root>/status/KIND/NS/NAME.json}), with its
 * controller's memo and how often drift was found on it.
 *
 * @param assessedAt when the node came to this assessment; later passes that find the same leave it
 * @param driftCount times something was found changed or gone behind berth's back
 * @param lastError  the last failure to converge the object; null when it converged
 */
public record WorkloadStatus(Health health, String message, Instant assessedAt, Map<String, String> memo,
                             int driftCount, String lastError) {

    public WorkloadStatus {
        memo = memo == null ? Map.of() : Map.copyOf(memo);
    }

    public static Optional<WorkloadStatus> read(StateLayout layout, ResourceKey key) {
        return JsonFiles.read(file(layout, key), WorkloadStatus.class);
    }

    public void write(StateLayout layout, ResourceKey key) {
        JsonFiles.write(file(layout, key), this);
    }

    /**
     * Writes this status unless {@code before} (what the file holds, or null) says the same, whenever assessed. When
     * only what each pass derives again changed (health, message, error), it goes into {@code later}; a new memo or
     * drift count is written at once, as the controller's next decisions build on it.
     */
    void writeOver(WorkloadStatus before, StateLayout layout, ResourceKey key, WriteBatch later) {
        WorkloadStatus was = before == null ? new WorkloadStatus(null, null, null, Map.of(), 0, null) : before;
        if (before != null && equals(new WorkloadStatus(was.health, was.message, assessedAt, was.memo, was.driftCount,
                was.lastError))) {
            return;
        }
        if (memo.equals(was.memo) && driftCount == was.driftCount) {
            later.add(file(layout, key), this);
        } else {
            write(layout, key);
        }
    }

    public static void delete(StateLayout layout, ResourceKey key) {
        dev.berth.store.AtomicFiles.delete(file(layout, key));
    }

    private static Path file(StateLayout layout, ResourceKey key) {
        String namespace = key.clusterScoped() ? "_cluster" : key.namespace();
        return layout.root().resolve("status").resolve(key.kind()).resolve(namespace).resolve(key.name() + ".json");
    }
}
