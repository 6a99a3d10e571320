package dev.berth.policy;

import dev.berth.core.ResourceKey;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One object as an admission request would present it: a desired object, or the pod a workload's template makes
 * (berth is the controller creating those pods, so pod policies must hold for templates too).
 */
record AdmissionTarget(ResourceKey key, ResourceType type, Map<String, Object> object, Map<String, Object> namespaceObject,
                       Map<String, String> namespaceLabels, SourceLocation location, boolean podTemplate) {

    /** Set by the API server on every namespace, so selectors may rely on it. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private static final Map<String, String> POD_TEMPLATE_POINTERS = Map.of(
            "Deployment", "/spec/template",
            "Job", "/spec/template",
            "CronJob", "/spec/jobTemplate/spec/template");

    static List<AdmissionTarget> allOf(DesiredState desired) {
        Map<String, Map<String, Object>> namespaces = new HashMap<>();
        for (Manifest m : desired.manifests()) {
            if (m.key().kind().equals("Namespace")) {
                namespaces.put(m.key().name(), withNameLabel(m.object(), m.key().name()));
            }
        }
        List<AdmissionTarget> targets = new ArrayList<>();
        for (Manifest m : desired.manifests()) {
            ResourceType.ofKind(m.key().kind()).ifPresent(type -> {
                if (type.namespaced()) {
                    Map<String, Object> namespace = namespaces.get(m.key().namespace());
                    Map<String, String> nsLabels = namespace == null
                            ? Map.of(NAMESPACE_NAME_LABEL, m.key().namespace()) : labelsOf(namespace);
                    targets.add(new AdmissionTarget(m.key(), type, m.object(), namespace, nsLabels, m.location(),
                            false));
                    podTemplateOf(m, namespace, nsLabels).ifPresent(targets::add);
                } else {
                    Map<String, Object> namespace = namespaces.get(m.key().name());
                    targets.add(new AdmissionTarget(m.key(), type, namespace, null, labelsOf(namespace), m.location(),
                            false));
                }
            });
        }
        return targets;
    }

    Map<String, String> labels() {
        return labelsOf(object);
    }

    private static Optional<AdmissionTarget> podTemplateOf(Manifest owner, Map<String, Object> namespace,
                                                           Map<String, String> nsLabels) {
        String pointer = POD_TEMPLATE_POINTERS.get(owner.key().kind());
        Object template = pointer == null ? null : at(owner.object(), pointer);
        if (!(template instanceof Map<?, ?> templateMap)) {
            return Optional.empty();
        }
        Map<String, Object> metadata = new LinkedHashMap<>(asMap(templateMap.get("metadata")));
        metadata.put("name", owner.key().name());
        metadata.put("namespace", owner.key().namespace());
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", metadata);
        pod.put("spec", asMap(templateMap.get("spec")));
        return Optional.of(new AdmissionTarget(owner.key(), ResourceType.POD, pod, namespace, nsLabels,
                owner.locations().find(pointer), true));
    }

    private static Object at(Map<String, Object> object, String pointer) {
        Object current = object;
        for (String segment : pointer.substring(1).split("/")) {
            current = current instanceof Map<?, ?> map ? map.get(segment) : null;
        }
        return current;
    }

    private static Map<String, Object> withNameLabel(Map<String, Object> namespace, String name) {
        Map<String, Object> metadata = new LinkedHashMap<>(asMap(namespace.get("metadata")));
        Map<String, Object> labels = new LinkedHashMap<>(asMap(metadata.get("labels")));
        labels.put(NAMESPACE_NAME_LABEL, name);
        metadata.put("labels", labels);
        Map<String, Object> copy = new LinkedHashMap<>(namespace);
        copy.put("metadata", metadata);
        return copy;
    }

    private static Map<String, String> labelsOf(Map<String, Object> object) {
        Map<String, String> labels = new HashMap<>();
        asMap(asMap(object.get("metadata")).get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
