package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.SecretDigest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the target holds now, by key, and how its Secret values are digested: the planner digests the desired
 * ones alike to compare them. The planner pairs it with a {@link DesiredState}.
 */
public final class ActualState {

    private final Map<ResourceKey, LiveObject> objects = new TreeMap<>();
    private final SecretDigest secrets;

    /** Objects whose Secret values are digested by {@code secrets}; masked too if it cannot compare them. */
    public ActualState(Collection<LiveObject> objects, SecretDigest secrets) {
        this.secrets = secrets;
        objects.forEach(o -> this.objects.put(o.key(), secrets.comparesValues() ? o : masked(o)));
    }

    public static ActualState empty() {
        return new ActualState(List.of(), SecretDigest.ephemeral());
    }

    /** The state a node would be in had it applied {@code applied}: for "what does this change" plans. */
    public static ActualState appliedFrom(DesiredState applied) {
        SecretDigest secrets = SecretDigest.ephemeral();
        return new ActualState(applied.manifests().stream().map(m -> live(m, applied, secrets)).toList(), secrets);
    }

    private static LiveObject live(Manifest m, DesiredState from, SecretDigest secrets) {
        Map<String, Object> form = ComparableForm.of(m, secrets);
        return new LiveObject(m.key(), form, ComparableForm.hash(form), from.revision(), true,
                m.prunable());
    }

    /** A live object as a planner without the node's key must see it; unchanged when only its hash is known. */
    private static LiveObject masked(LiveObject live) {
        if (live.object() == null) {
            return live;
        }
        Map<String, Object> form = ComparableForm.masked(live.key().kind(), live.object());
        return form == live.object() ? live : new LiveObject(live.key(), form, ComparableForm.hash(form),
                live.revision(), live.owned(), live.prunable());
    }

    public Optional<LiveObject> get(ResourceKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public Collection<LiveObject> objects() {
        return objects.values();
    }

    /** How the Secret values of these objects are digested; desired ones are digested alike to compare. */
    public SecretDigest secretDigest() {
        return secrets;
    }
}
