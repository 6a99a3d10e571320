package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.util.List;

/**
 * The ordered steps that take the target from actual to desired.
 *
 * @param actions   in execution order: creates and changes by wave (namespaces, config, services, workloads), then
 *                  deletes in reverse wave order
 * @param unchanged how many desired objects need nothing
 * @param kept      objects no longer desired that are left in place: not berth's, or marked {@code berth.dev/prune: "false"}
 */
public record Plan(Revision revision, List<Action> actions, int unchanged, List<ResourceKey> kept) {

    public boolean hasChanges() {
        return !actions.isEmpty();
    }
}
