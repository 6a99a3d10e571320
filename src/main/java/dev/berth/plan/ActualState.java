package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the target holds now, by key. The planner pairs it with a {@link DesiredState}. */
public final class ActualState {

    private final Map<ResourceKey, LiveObject> objects = new TreeMap<>();

    public ActualState(Collection<LiveObject> objects) {
        objects.forEach(o -> this.objects.put(o.key(), o));
    }

    public static ActualState empty() {
        return new ActualState(java.util.List.of());
    }

    /** The state a node would be in had it applied {@code applied}: for "what does this change" plans. */
    public static ActualState appliedFrom(DesiredState applied) {
        return new ActualState(applied.manifests().stream().map(m -> live(m, applied)).toList());
    }

    private static LiveObject live(Manifest m, DesiredState from) {
        Map<String, Object> form = ComparableForm.of(m);
        return new LiveObject(m.key(), form, ComparableForm.hash(form), from.revision(), true,
                m.prunable());
    }

    public Optional<LiveObject> get(ResourceKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public Collection<LiveObject> objects() {
        return objects.values();
    }
}
