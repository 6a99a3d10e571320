package dev.berth.sync;

import dev.berth.core.BerthException;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.manifest.SecretDigest;
import dev.berth.node.RecordedState;
import dev.berth.node.WorkloadStatus;
import dev.berth.plan.Action;
import dev.berth.store.FileTrees;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.ObjectRecords;
import dev.berth.store.SideBySide;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.berth.core.Nulls;
import dev.berth.node.PodRecord;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashSet;
import java.util.Set;

/**
 * The first half of a sync step: records one action of the plan as the node's desired state (the planner has
 * ordered them: namespaces, config, volumes, workloads; deletes in reverse). A PersistentVolumeClaim's volume is
 * made when it is created and its data deleted only once its record is gone and no pod uses it any more.
 */
final class RecordWriter {

    private final StateLayout layout;
    private final ObjectRecords records;
    private final SecretDigest secrets;

    RecordWriter(StateLayout layout) {
        this.layout = layout;
        this.records = new ObjectRecords(layout);
        this.secrets = NodeSecretKey.require(layout);
    }

    /**
     * Records the plan's actions in its order, except that each run of actions on objects of one kind is written side
     * by side: an object depends on objects of other kinds (its namespace, the config it reads), not of its own.
     */
    void writeAll(List<Action> actions, Revision revision) {
        List<Runnable> run = new ArrayList<>();
        Action first = null;
        for (Action action : actions) {
            if (first != null && !sameRun(first, action)) {
                SideBySide.run(run);
                run = new ArrayList<>();
            }
            if (run.isEmpty()) {
                first = action;
            }
            run.add(() -> write(action, revision));
        }
        SideBySide.run(run);
    }

    private static boolean sameRun(Action a, Action b) {
        return a.key().kind().equals(b.key().kind()) && (a instanceof Action.Delete) == (b instanceof Action.Delete);
    }

    private void write(Action action, Revision revision) {
        if (action instanceof Action.Delete delete) {
            records.delete(delete.key());
            WorkloadStatus.delete(layout, delete.key());
        } else if (action instanceof Action.Create create) {
            record(create.desired(), revision);
        } else if (action instanceof Action.Update update) {
            record(update.desired(), revision);
        } else if (action instanceof Action.Replace replace) {
            record(replace.desired(), revision);
        }
    }

    /**
     * Deletes the data of claims that have no record and no pod using them: level-triggered, so a prune cut short
     * by a crash is finished by the next apply. Called once the pods of the apply are converged.
     */
    void deleteUnclaimedVolumes() {
        List<Path> namespaces = FileTrees.childDirectories(layout.volumes());
        if (namespaces.isEmpty()) {
            return; // no claim has a volume: no need to read every record
        }
        Set<ResourceKey> claimed = new HashSet<>();
        records.readAll().stream().map(r -> r.key()).filter(RecordWriter::isClaim).forEach(claimed::add);
        for (PodRecord pod : PodRecord.readAll(layout.pods())) {
            for (Volume v : Nulls.orEmpty(pod.pod().getSpec().getVolumes())) {
                if (v.getPersistentVolumeClaim() != null) {
                    claimed.add(new ResourceKey("PersistentVolumeClaim", pod.namespace(),
                            v.getPersistentVolumeClaim().getClaimName()));
                }
            }
        }
        for (Path dir : namespaces) {
            for (Path claim : FileTrees.childDirectories(dir)) {
                ResourceKey key = new ResourceKey("PersistentVolumeClaim", dir.getFileName().toString(),
                        claim.getFileName().toString());
                if (!claimed.contains(key)) {
                    delete(claim);
                }
            }
        }
    }

    private static void delete(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new BerthException("cannot delete volume " + dir + ": " + e.getMessage(), e);
        }
    }

    private void record(dev.berth.manifest.Manifest desired, Revision revision) {
        if (isClaim(desired.key())) {
            try {
                Files.createDirectories(volume(desired.key()));
            } catch (IOException e) {
                throw new BerthException("cannot create volume for " + desired.key() + ": " + e.getMessage(), e);
            }
        }
        records.write(RecordedState.recordOf(desired, secrets, revision, Instant.now()));
    }

    private Path volume(ResourceKey claim) {
        return layout.volumes().resolve(claim.namespace()).resolve(claim.name());
    }

    private static boolean isClaim(ResourceKey key) {
        return key.kind().equals("PersistentVolumeClaim");
    }
}
