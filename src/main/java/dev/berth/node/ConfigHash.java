package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.SecretDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Annotates a workload's pod template with a hash of the ConfigMaps and Secrets its pods read (volumes, projected
 * volumes, env and envFrom), so that a config commit changes the template and the pods roll, as Helm's
 * checksum/config annotation does by hand.
 */
final class ConfigHash {

    /** Where the pod template sits in each workload kind; a Pod is its own template. */
    private static final Map<String, List<String>> TEMPLATE_PATH = Map.of(
            "Pod", List.of(),
            "Deployment", List.of("spec", "template"),
            "Job", List.of("spec", "template"),
            "CronJob", List.of("spec", "jobTemplate", "spec", "template"));

    private ConfigHash() {}

    static boolean isWorkload(String kind) {
        return TEMPLATE_PATH.containsKey(kind);
    }

    /**
     * The workload with {@link Annotations#CONFIG_HASH} set on its template; unchanged if it reads no config. Secret
     * values count by their digests under {@code secrets}, the node's key, so the hash reveals nothing of them.
     */
    @SuppressWarnings("unchecked")
    static Manifest annotate(Manifest workload, DesiredState desired, SecretDigest secrets) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(workload.object());
        Map<String, Object> template = copy;
        for (String step : TEMPLATE_PATH.get(workload.key().kind())) {
            template = (Map<String, Object>) template.get(step);
        }
        Map<String, String> referenced = new TreeMap<>();
        collect(template.get("spec"), workload.key().namespace(), desired, secrets, referenced);
        if (referenced.isEmpty()) {
            return workload;
        }
        Map<String, Object> metadata = (Map<String, Object>) template.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> annotations = (Map<String, Object>) metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<>());
        annotations.put(Annotations.CONFIG_HASH, ComparableForm.hash(new LinkedHashMap<>(referenced)).substring(7, 23));
        return new Manifest(workload.key(), workload.apiVersion(), copy, workload.location(), workload.locations());
    }

    /** Walks the pod spec for references; each maps to the referenced object's content hash, or "absent". */
    private static void collect(Object node, String namespace, DesiredState desired, SecretDigest secrets,
                                Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String kind = referencedKind(String.valueOf(e.getKey()));
                if (kind != null && e.getValue() instanceof Map<?, ?> ref) {
                    Object name = ref.get("secretName") != null ? ref.get("secretName") : ref.get("name");
                    if (name != null) {
                        ResourceKey key = new ResourceKey(kind, namespace, String.valueOf(name));
                        out.put(kind + "/" + name, desired.get(key)
                                .map(m -> ComparableForm.hash(ComparableForm.of(m, secrets))).orElse("absent"));
                    }
                }
                collect(e.getValue(), namespace, desired, secrets, out);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, namespace, desired, secrets, out));
        }
    }

    private static String referencedKind(String field) {
        return switch (field) {
            case "configMap", "configMapKeyRef", "configMapRef" -> "ConfigMap";
            case "secret", "secretKeyRef", "secretRef" -> "Secret";
            default -> null;
        };
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(deepCopy(item)));
            return copy;
        }
        return node;
    }
}
