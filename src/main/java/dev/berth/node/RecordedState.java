package dev.berth.node;

import dev.berth.core.Revision;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.SecretDigest;
import dev.berth.plan.ActualState;
import dev.berth.plan.LiveObject;
import dev.berth.store.ObjectRecord;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.FieldLocations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The node's actual state as its state root records it: what {@code plan --against state:DIR} diffs with. */
public final class RecordedState {

    private RecordedState() {}

    public static ActualState read(StateLayout layout) {
        return new ActualState(new ObjectRecords(layout).readAll().stream()
                .map(r -> new LiveObject(r.key(), r.object(), r.hash(), r.revision(), true, r.prune()))
                .toList(), NodeSecretKey.forPlanning(layout));
    }

    /**
     * What the node last applied, as full manifests (Secret data included): what it converges to between applies,
     * and after a restart or a reboot. Records without a manifest (written by an older berth) are skipped.
     */
    public static DesiredState applied(StateLayout layout, Revision revision) {
        List<Manifest> manifests = new ArrayList<>();
        for (ObjectRecord r : new ObjectRecords(layout).readAll()) {
            if (r.manifest() != null) {
                SourceLocation where = SourceLocation.of(layout.record(r.key()).toString());
                manifests.add(new Manifest(r.key(), r.apiVersion(), r.manifest(), where,
                        new FieldLocations(where, Map.of())));
            }
        }
        return new DesiredState(revision, manifests);
    }

    /**
     * The record the node writes once it has applied {@code applied} from {@code revision}; its Secret values are
     * digested by {@code secrets}, the node's.
     */
    public static ObjectRecord recordOf(Manifest applied, SecretDigest secrets, Revision revision, Instant at) {
        Map<String, Object> form = ComparableForm.of(applied, secrets);
        return new ObjectRecord(applied.key(), applied.apiVersion(), ComparableForm.hash(form), revision, at,
                applied.prunable(), form, applied.object());
    }
}
