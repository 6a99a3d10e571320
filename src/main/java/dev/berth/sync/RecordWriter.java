package dev.berth.sync;

import dev.berth.core.BerthException;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.node.RecordedState;
import dev.berth.node.WorkloadStatus;
import dev.berth.plan.Action;
import dev.berth.store.FileTrees;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The first half of a sync step: records one action of the plan as the node's desired state (the planner has
 * ordered them: namespaces, config, volumes, workloads; deletes in reverse). A PersistentVolumeClaim's volume is
 * made when it is created and its data deleted only once it is pruned and no pod uses it any more.
 */
final class RecordWriter {

    private final StateLayout layout;
    private final ObjectRecords records;
    private final List<ResourceKey> prunedClaims = new ArrayList<>();

    RecordWriter(StateLayout layout) {
        this.layout = layout;
        this.records = new ObjectRecords(layout);
    }

    void write(Action action, Revision revision) {
        if (action instanceof Action.Delete delete) {
            records.delete(delete.key());
            WorkloadStatus.delete(layout, delete.key());
            if (isClaim(delete.key())) {
                prunedClaims.add(delete.key());
            }
        } else if (action instanceof Action.Create create) {
            record(create.desired(), revision);
        } else if (action instanceof Action.Update update) {
            record(update.desired(), revision);
        } else if (action instanceof Action.Replace replace) {
            record(replace.desired(), revision);
        }
    }

    /** Deletes the data of pruned claims; called once the pods that used them are gone. */
    void deletePrunedVolumes() {
        for (ResourceKey claim : prunedClaims) {
            Path dir = volume(claim);
            try {
                FileTrees.deleteRecursively(dir);
            } catch (IOException e) {
                throw new BerthException("cannot delete volume " + dir + ": " + e.getMessage(), e);
            }
        }
        prunedClaims.clear();
    }

    private void record(dev.berth.manifest.Manifest desired, Revision revision) {
        if (isClaim(desired.key())) {
            try {
                Files.createDirectories(volume(desired.key()));
            } catch (IOException e) {
                throw new BerthException("cannot create volume for " + desired.key() + ": " + e.getMessage(), e);
            }
        }
        records.write(RecordedState.recordOf(desired, revision, Instant.now()));
    }

    private Path volume(ResourceKey claim) {
        return layout.volumes().resolve(claim.namespace()).resolve(claim.name());
    }

    private static boolean isClaim(ResourceKey key) {
        return key.kind().equals("PersistentVolumeClaim");
    }
}
