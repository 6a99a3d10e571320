package dev.berth.store;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.time.Instant;
import java.util.Map;

/**
 * What the node records about one object it applied (objects/KIND/NAMESPACE/NAME.json).
 *
 * @param hash     content hash of {@code object}: the planner compares it with the desired object's
 * @param object   the applied object in comparable form (Secret values are digests, never the values)
 * @param prune    false when the object carried {@code berth.dev/prune: "false"}
 * @param manifest the object as applied, Secret data included, for the node to run it after a restart; the
 *                 records directory is readable by root only
 */
public record ObjectRecord(ResourceKey key, String apiVersion, String hash, Revision revision, Instant appliedAt,
                           boolean prune, Map<String, Object> object, Map<String, Object> manifest) {}
