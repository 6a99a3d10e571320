package dev.berth.manifest;

import dev.berth.core.Problem;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Everything the repository says the node should run at one revision, keyed and sorted by {@link ResourceKey}. */
public final class DesiredState {

    private final Revision revision;
    private final SortedMap<ResourceKey, Manifest> manifests;
    private final List<Problem> warnings;

    public DesiredState(Revision revision, Collection<Manifest> manifests) {
        this(revision, manifests, List.of());
    }

    /** @param warnings fields berth ignores, each where it was written */
    public DesiredState(Revision revision, Collection<Manifest> manifests, List<Problem> warnings) {
        this.revision = revision;
        this.warnings = List.copyOf(warnings);
        Map<ResourceKey, Manifest> byKey = new LinkedHashMap<>();
        manifests.forEach(m -> byKey.put(m.key(), m));
        this.manifests = new TreeMap<>(byKey);
    }

    /** The commit this state was read from; null when it was not read from git. */
    public Revision revision() {
        return revision;
    }

    public Collection<Manifest> manifests() {
        return manifests.values();
    }

    public Optional<Manifest> get(ResourceKey key) {
        return Optional.ofNullable(manifests.get(key));
    }

    public int size() {
        return manifests.size();
    }

    /**
     * Notes for {@code validate}, each where it was written: fields berth ignores (they make no difference on one
     * node) and objects in a namespace no manifest declares.
     */
    public List<Problem> warnings() {
        return warnings;
    }
}
