package dev.berth.manifest;

import dev.berth.core.ResourceKey;
import dev.berth.core.SourceLocation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * One desired object as committed, validated and defaulted.
 *
 * @param object    the defaulted object as a JSON-like tree (Map, List, String, Long, Double, Boolean); read-only
 * @param location  where the object's document starts
 * @param locations where each field was written, for messages about a field
 */
public record Manifest(ResourceKey key, String apiVersion, Map<String, Object> object, SourceLocation location,
                       FieldLocations locations) {

    /** The object as fabric8's typed model (a Pod, a Deployment, ...), for the node that runs it. */
    public HasMetadata typed() {
        Class<? extends HasMetadata> model = Kind.named(key.kind()).orElseThrow().model();
        return ModelBinder.MAPPER.convertValue(Trees.narrowIntegers(object), model);
    }

    /** {@code metadata.labels} or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, String> labels() {
        return (Map<String, String>) metadata().getOrDefault("labels", Map.of());
    }

    /** {@code metadata.annotations} or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, String> annotations() {
        return (Map<String, String>) metadata().getOrDefault("annotations", Map.of());
    }

    /** False when it carries {@code berth.dev/prune: "false"}: deleting its manifest then leaves it in place. */
    public boolean prunable() {
        return !"false".equals(annotations().get(Annotations.PRUNE));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata() {
        return (Map<String, Object>) object.getOrDefault("metadata", Map.of());
    }
}
