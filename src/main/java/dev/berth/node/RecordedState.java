package dev.berth.node;

import dev.berth.plan.ActualState;
import dev.berth.plan.LiveObject;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;

/** The node's actual state as its state root records it: what {@code plan --against state:DIR} diffs with. */
public final class RecordedState {

    private RecordedState() {}

    public static ActualState read(StateLayout layout) {
        return new ActualState(new ObjectRecords(layout).readAll().stream()
                .map(r -> new LiveObject(r.key(), r.object(), r.hash(), r.revision(), true, r.prune()))
                .toList());
    }
}
