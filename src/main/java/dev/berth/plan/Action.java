package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Manifest;
import java.util.List;

/** One step of a {@link Plan}: nil live = create, nil desired = delete (gitops-engine's pairing). */
public sealed interface Action permits Action.Create, Action.Update, Action.Replace, Action.Delete {

    ResourceKey key();

    /** Why this step is needed, in a few words. */
    String reason();

    List<FieldDiff> diff();

    /** The verb as shown to users and in JSON: create, update, replace or delete. */
    default String verb() {
        return getClass().getSimpleName().toLowerCase();
    }

    record Create(Manifest desired, String reason) implements Action {
        public ResourceKey key() {
            return desired.key();
        }

        public List<FieldDiff> diff() {
            return List.of();
        }
    }

    /** Changed in place: fields the target can change on a live object. */
    record Update(Manifest desired, LiveObject live, String reason, List<FieldDiff> diff) implements Action {
        public ResourceKey key() {
            return desired.key();
        }
    }

    /** Deleted and created again: the change touches fields that are immutable once created. */
    record Replace(Manifest desired, LiveObject live, String reason, List<FieldDiff> diff) implements Action {
        public ResourceKey key() {
            return desired.key();
        }
    }

    record Delete(LiveObject live, String reason) implements Action {
        public ResourceKey key() {
            return live.key();
        }

        public List<FieldDiff> diff() {
            return List.of();
        }
    }
}
