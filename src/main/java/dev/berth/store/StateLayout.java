package dev.berth.store;

import dev.berth.core.ResourceKey;
import java.nio.file.Path;

/** Where things live under a node's state root (default /var/lib/berth). */
public record StateLayout(Path root) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");

    /** One record per applied object: objects/KIND/NAMESPACE/NAME.json (NAMESPACE "_cluster" for cluster-scoped). */
    public Path objects() {
        return root.resolve("objects");
    }

    public Path record(ResourceKey key) {
        String namespace = key.clusterScoped() ? "_cluster" : key.namespace();
        return objects().resolve(key.kind()).resolve(namespace).resolve(key.name() + ".json");
    }

    /** Bare git caches, one per repository URL. */
    public Path gitCache() {
        return root.resolve("git");
    }
}
