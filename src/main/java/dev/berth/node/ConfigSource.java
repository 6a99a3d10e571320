package dev.berth.node;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The ConfigMaps and Secrets a pod may read (env, envFrom, volumes): those of the desired state. */
public final class ConfigSource {

    private final DesiredState desired;

    public ConfigSource(DesiredState desired) {
        this.desired = desired;
    }

    /** A ConfigMap's data (binaryData decoded too), or empty when there is none by that name. */
    Optional<Map<String, byte[]>> configMap(String namespace, String name) {
        return find("ConfigMap", namespace, name).map(m -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            strings(m.object().get("data")).forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
            strings(m.object().get("binaryData")).forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
            return out;
        });
    }

    /** A Secret's decoded data, or empty. */
    Optional<Map<String, byte[]>> secret(String namespace, String name) {
        return find("Secret", namespace, name).map(m -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            strings(m.object().get("data")).forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
            return out;
        });
    }

    private Optional<Manifest> find(String kind, String namespace, String name) {
        return desired.get(new ResourceKey(kind, namespace, name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object data) {
        return data instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }
}
