package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.util.Map;

/**
 * An object as it is on the target.
 *
 * @param object   its comparable form (see {@code ComparableForm}); never holds secret values
 * @param hash     {@code ComparableForm.hash(object)}: equal hashes mean nothing to do
 * @param revision the commit it was applied from, null when unknown
 * @param owned    whether berth applied it and so may prune it
 * @param prunable false when it carries {@code berth.dev/prune: "false"}
 */
public record LiveObject(ResourceKey key, Map<String, Object> object, String hash, Revision revision,
                         boolean owned, boolean prunable) {}
