package dev.berth.sync;

import dev.berth.store.JsonFiles;
import dev.berth.store.StateLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the node's desired state comes from and what it last applied ({@code <root>/sync.json}).
 *
 * @param revision the commit applied last; null before the first apply
 * @param pinnedOver set by {@code berth rollback}: the head commit it rolled back from. While the source still
 *                   points there, applies leave the node on the rollback; a new commit or {@code berth resume}
 *                   clears it. Null when not pinned.
 */
public record SyncState(String repo, String ref, String path, String revision, Instant appliedAt, String result,
                        String message, String pinnedOver) {

    public static Optional<SyncState> read(StateLayout layout) {
        return JsonFiles.read(file(layout), SyncState.class);
    }

    public void write(StateLayout layout) {
        JsonFiles.write(file(layout), this);
    }

    public SyncState withPinnedOver(String head) {
        return new SyncState(repo, ref, path, revision, appliedAt, result, message, head);
    }

    private static Path file(StateLayout layout) {
        return layout.root().resolve("sync.json");
    }
}
