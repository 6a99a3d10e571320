package dev.berth.manifest;

import dev.berth.core.DownwardFieldPath;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The API server's checks of the downward API: the fields an env var or a volume file may select (a volume only the
 * pod's metadata), the container resources and their divisors, and the projected sources berth can fill.
 */
final class DownwardApiChecks {

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    DownwardApiChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    void podSpec(String at, PodSpec spec) {
        containers(at + "/initContainers", spec.getInitContainers());
        containers(at + "/containers", spec.getContainers());
        List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String here = at + "/volumes/" + i;
            if (v.getDownwardAPI() != null) {
                items(here + "/downwardAPI/items", v.getDownwardAPI().getItems());
            }
            List<VolumeProjection> sources = v.getProjected() == null || v.getProjected().getSources() == null
                    ? List.of() : v.getProjected().getSources();
            for (int j = 0; j < sources.size(); j++) {
                VolumeProjection source = sources.get(j);
                String s = here + "/projected/sources/" + j;
                if (source.getDownwardAPI() != null) {
                    items(s + "/downwardAPI/items", source.getDownwardAPI().getItems());
                } else if (source.getConfigMap() == null && source.getSecret() == null) {
                    error.accept(s, "volume \"" + v.getName() + "\": berth projects configMap, secret and downwardAPI "
                            + "sources (it has no service account tokens or cluster trust bundles)");
                }
            }
        }
    }

    private void containers(String at, List<Container> containers) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            List<EnvVar> env = containers.get(i).getEnv();
            for (int j = 0; env != null && j < env.size(); j++) {
                var from = env.get(j).getValueFrom();
                String here = at + "/" + i + "/env/" + j + "/valueFrom";
                if (from != null && from.getFieldRef() != null) {
                    field(here + "/fieldRef", from.getFieldRef(), DownwardFieldPath.ENV_PATHS);
                }
                if (from != null && from.getResourceFieldRef() != null) {
                    resource(here + "/resourceFieldRef", from.getResourceFieldRef(), false);
                }
            }
        }
    }

    private void items(String at, List<DownwardAPIVolumeFile> items) {
        for (int i = 0; items != null && i < items.size(); i++) {
            DownwardAPIVolumeFile item = items.get(i);
            String here = at + "/" + i;
            String path = item.getPath() == null ? "" : item.getPath();
            if (path.isEmpty() || path.startsWith("/") || path.startsWith("..") || List.of(path.split("/")).contains("..")) {
                error.accept(here + "/path", "a downwardAPI item's path must be relative, without '..', got \""
                        + path + "\"");
            }
            if ((item.getFieldRef() == null) == (item.getResourceFieldRef() == null)) {
                error.accept(here, "a downwardAPI item needs exactly one of fieldRef and resourceFieldRef");
            }
            if (item.getFieldRef() != null) {
                field(here + "/fieldRef", item.getFieldRef(), DownwardFieldPath.VOLUME_PATHS);
            }
            if (item.getResourceFieldRef() != null) {
                resource(here + "/resourceFieldRef", item.getResourceFieldRef(), true);
            }
        }
    }

    private void field(String at, ObjectFieldSelector ref, Set<String> allowed) {
        if (ref.getApiVersion() != null && !ref.getApiVersion().equals("v1")) {
            error.accept(at + "/apiVersion", "fieldRef apiVersion must be v1, got \"" + ref.getApiVersion() + "\"");
        }
        DownwardFieldPath.parse(ref.getFieldPath()).problem(allowed).ifPresent(p -> error.accept(at + "/fieldPath", p));
    }

    /** A volume's resourceFieldRef names its container; an env var's defaults to its own. */
    private void resource(String at, ResourceFieldSelector ref, boolean volume) {
        if (volume && (ref.getContainerName() == null || ref.getContainerName().isEmpty())) {
            error.accept(at, "a downwardAPI volume's resourceFieldRef needs containerName");
        }
        if (!DownwardFieldPath.RESOURCES.contains(ref.getResource())) {
            error.accept(at + "/resource", "resource \"" + ref.getResource() + "\" is not supported; supported: "
                    + new java.util.TreeSet<>(DownwardFieldPath.RESOURCES));
            return;
        }
        if (ref.getDivisor() != null) {
            Quantity divisor;
            try {
                divisor = Quantity.parse(ref.getDivisor().toString());
            } catch (IllegalArgumentException e) {
                return; // the quantity check says so
            }
            if (!DownwardFieldPath.validDivisor(ref.getResource(), divisor)) {
                error.accept(at + "/divisor", "divisor " + ref.getDivisor() + " is not one for " + ref.getResource()
                        + (ref.getResource().endsWith(".cpu") ? " (1m or 1)"
                        : " (1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi or 1Ei)"));
            }
        }
    }
}
