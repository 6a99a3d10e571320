package dev.berth.policy;

import dev.berth.core.ResourceKey;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.FieldLocations;
import dev.berth.manifest.Manifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds desired objects for policy tests, the way the manifest loader would hand them over. */
final class TestObjects {

    private TestObjects() {
    }

    static SourceLocation fileOf(String name) {
        return new SourceLocation("apps/" + name + ".yaml", 1, 1);
    }

    static SourceLocation templateOf(String name) {
        return new SourceLocation("apps/" + name + ".yaml", 9, 5);
    }

    static Manifest manifest(String kind, String apiVersion, String namespace, String name, Map<String, Object> spec,
                             Map<String, String> labels) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            metadata.put("labels", labels);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", metadata);
        if (spec != null) {
            object.put("spec", spec);
        }
        String template = kind.equals("CronJob") ? "/spec/jobTemplate/spec/template" : "/spec/template";
        return new Manifest(new ResourceKey(kind, namespace, name), apiVersion, object, fileOf(name),
                new FieldLocations(fileOf(name), Map.of(template, templateOf(name))));
    }

    static Manifest pod(String namespace, String name, Map<String, Object> spec) {
        return manifest("Pod", "v1", namespace, name, spec, Map.of());
    }

    static Manifest pod(String name, Map<String, Object> container) {
        return pod("shop", name, podSpec(container));
    }

    static Manifest namespace(String name, Map<String, String> labels) {
        return manifest("Namespace", "v1", "", name, null, labels);
    }

    static Map<String, Object> podSpec(Map<String, Object> container) {
        return mutable("containers", List.of(container));
    }

    /** A container that passes every shipped policy. */
    static Map<String, Object> container(String name, String image) {
        Map<String, Object> container = mutable("name", name);
        container.put("image", image);
        container.put("resources", Map.of("limits", Map.of("memory", "64Mi")));
        return container;
    }

    static Map<String, Object> mutable(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    static Map<String, Object> deploymentSpec(Map<String, Object> podSpec) {
        return Map.of("replicas", 1L, "template", Map.of("metadata", Map.of("labels", Map.of("app", "web")),
                "spec", podSpec));
    }

    static DesiredState desired(Manifest... manifests) {
        return new DesiredState(null, List.of(manifests));
    }
}
