package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as the kubelet builds it: the image's, then envFrom, then env (later wins), with
 * values from ConfigMaps, Secrets, the pod's own fields and its containers' resources (the downward API). $(VAR) references expand from the container's own
 * variables defined before them, never from the image's: the kubelet does not know the image's ENV.
 */
final class EnvironmentResolver {

    /**
     * @param lines    KEY=VALUE, every variable the process sees, in definition order
     * @param declared the container's own variables (envFrom and env), which command and args expand from too
     */
    record ContainerEnvironment(List<String> lines, Map<String, String> declared) {}

    private final ConfigSource config;
    private final NodeFacts node;

    EnvironmentResolver(ConfigSource config, NodeFacts node) {
        this.config = config;
        this.node = node;
    }

    ContainerEnvironment resolve(Pod pod, List<String> imageEnv, Container container) {
        String namespace = pod.getMetadata().getNamespace();
        DownwardApi downward = new DownwardApi(pod, node);
        Map<String, String> declared = new LinkedHashMap<>();
        for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            source(namespace, from).forEach((k, v) -> declared.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
        }
        for (EnvVar var : orEmpty(container.getEnv())) {
            String value = var.getValueFrom() != null
                    ? valueFrom(namespace, downward, container.getName(), var.getName(),
                            var.getValueFrom())
                    : ContainerCommand.expand(var.getValue() == null ? "" : var.getValue(), declared);
            if (value != null) {
                declared.put(var.getName(), value);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : imageEnv) {
            int eq = line.indexOf('=');
            env.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        env.putAll(declared);
        return new ContainerEnvironment(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                declared);
    }

    private Map<String, byte[]> source(String namespace, EnvFromSource from) {
        if (from.getConfigMapRef() != null) {
            var ref = from.getConfigMapRef();
            return required(config.configMap(namespace, ref.getName()), "ConfigMap", ref.getName(), ref.getOptional());
        }
        if (from.getSecretRef() != null) {
            var ref = from.getSecretRef();
            return required(config.secret(namespace, ref.getName()), "Secret", ref.getName(), ref.getOptional());
        }
        return Map.of();
    }

    /** Null when an optional reference is missing: the variable is then left out. */
    private String valueFrom(String namespace, DownwardApi downward, String containerName, String variable,
                             EnvVarSource from) {
        try {
            if (from.getFieldRef() != null) {
                return downward.field(from.getFieldRef().getFieldPath());
            }
            if (from.getResourceFieldRef() != null) {
                var ref = from.getResourceFieldRef();
                // in env, the container is the variable's own unless the reference names another
                String of = ref.getContainerName() == null || ref.getContainerName().isEmpty() ? containerName
                        : ref.getContainerName();
                return downward.resource(of, ref.getResource(),
                        ref.getDivisor() == null ? null : Quantity.parse(ref.getDivisor().toString()));
            }
        } catch (BerthException e) {
            throw new BerthException("env " + variable + ": " + e.getMessage(), e);
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            return key(config.configMap(namespace, ref.getName()), "ConfigMap", ref.getName(), ref.getKey(), ref.getOptional());
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            return key(config.secret(namespace, ref.getName()), "Secret", ref.getName(), ref.getKey(), ref.getOptional());
        }
        throw new BerthException("env " + variable + ": valueFrom names no source");
    }

    private static String key(Optional<Map<String, byte[]>> data, String kind, String name, String key, Boolean optional) {
        Map<String, byte[]> values = required(data, kind, name, optional);
        byte[] value = values.get(key);
        if (value == null && !Boolean.TRUE.equals(optional) && data.isPresent()) {
            throw new BerthException(kind + " " + name + " has no key \"" + key + "\"");
        }
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> required(Optional<Map<String, byte[]>> data, String kind, String name, Boolean optional) {
        if (data.isEmpty() && !Boolean.TRUE.equals(optional)) {
            throw new BerthException(kind + " \"" + name + "\" not found");
        }
        return data.orElse(Map.of());
    }
}
