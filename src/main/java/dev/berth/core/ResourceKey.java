package dev.berth.core;

import java.util.Comparator;
import java.util.Objects;

/** Identity of one object: kind, namespace ("" for cluster-scoped kinds) and name. */
public record ResourceKey(String kind, String namespace, String name) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::kind)
            .thenComparing(ResourceKey::namespace)
            .thenComparing(ResourceKey::name);

    public ResourceKey {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    public boolean clusterScoped() {
        return namespace.isEmpty();
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }

    /** kubectl style: {@code Deployment web/frontend} or {@code Namespace shop}. */
    @Override
    public String toString() {
        return kind + " " + (clusterScoped() ? name : namespace + "/" + name);
    }
}
