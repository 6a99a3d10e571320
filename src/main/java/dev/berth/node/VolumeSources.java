package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.DownwardFieldPath;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a pod's downwardAPI and projected volumes (configMap, secret and downwardAPI sources merged into one
 * directory), with their modes: an item's own, else the volume's {@code defaultMode}, else 0644.
 */
final class VolumeSources {

    private final Pod pod;
    private final ConfigSource config;
    private final DownwardApi downward;

    VolumeSources(Pod pod, ConfigSource config, NodeFacts node) {
        this.pod = pod;
        this.config = config;
        this.downward = new DownwardApi(pod, node);
    }

    /** Whether the volume shows the pod's labels or annotations, which change while it runs. */
    static boolean showsMetadata(Volume v) {
        List<DownwardAPIVolumeFile> items = v.getDownwardAPI() != null ? orEmpty(v.getDownwardAPI().getItems())
                : v.getProjected() == null ? List.of() : orEmpty(v.getProjected().getSources()).stream()
                        .filter(s -> s.getDownwardAPI() != null)
                        .flatMap(s -> orEmpty(s.getDownwardAPI().getItems()).stream()).toList();
        return items.stream().filter(i -> i.getFieldRef() != null)
                .map(i -> DownwardFieldPath.parse(i.getFieldRef().getFieldPath()).path())
                .anyMatch(p -> p.equals(DownwardFieldPath.LABELS) || p.equals(DownwardFieldPath.ANNOTATIONS));
    }

    Map<String, ProjectedFiles.FileContent> downwardApi(Volume v) {
        return downwardItems(v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()));
    }

    Map<String, ProjectedFiles.FileContent> projected(Volume v) {
        ProjectedVolumeSource projected = v.getProjected();
        int mode = mode(projected.getDefaultMode());
        Map<String, ProjectedFiles.FileContent> files = new LinkedHashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        for (VolumeProjection source : orEmpty(projected.getSources())) {
            if (source.getConfigMap() != null) {
                var ref = source.getConfigMap();
                files.putAll(ProjectedFiles.files(data(config.configMap(namespace, ref.getName()), ref.getOptional(),
                        v.getName() + ": ConfigMap \"" + ref.getName() + "\""), ref.getItems(), mode));
            } else if (source.getSecret() != null) {
                var ref = source.getSecret();
                files.putAll(ProjectedFiles.files(data(config.secret(namespace, ref.getName()), ref.getOptional(),
                        v.getName() + ": Secret \"" + ref.getName() + "\""), ref.getItems(), mode));
            } else if (source.getDownwardAPI() != null) {
                files.putAll(downwardItems(source.getDownwardAPI().getItems(), mode));
            } else {
                throw new BerthException("volume " + v.getName() + ": berth projects configMap, secret and "
                        + "downwardAPI sources only");
            }
        }
        return files;
    }

    private Map<String, ProjectedFiles.FileContent> downwardItems(List<DownwardAPIVolumeFile> items, int mode) {
        Map<String, ProjectedFiles.FileContent> files = new LinkedHashMap<>();
        for (DownwardAPIVolumeFile item : orEmpty(items)) {
            String value;
            if (item.getFieldRef() != null) {
                value = downward.field(item.getFieldRef().getFieldPath());
            } else if (item.getResourceFieldRef() != null) {
                var ref = item.getResourceFieldRef();
                value = downward.resource(ref.getContainerName(), ref.getResource(),
                        ref.getDivisor() == null ? null : Quantity.parse(ref.getDivisor().toString()));
            } else {
                throw new BerthException("downwardAPI item " + item.getPath() + " has neither fieldRef nor resourceFieldRef");
            }
            files.put(item.getPath(), new ProjectedFiles.FileContent(value.getBytes(StandardCharsets.UTF_8),
                    item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    private static int mode(Integer defaultMode) {
        return defaultMode == null ? ProjectedFiles.DEFAULT_MODE : defaultMode;
    }

    /** The data, or nothing for a missing {@code optional: true} source; a missing required one is an error. */
    static Map<String, byte[]> data(Optional<Map<String, byte[]>> data, Boolean optional, String what) {
        if (data.isEmpty() && !Boolean.TRUE.equals(optional)) {
            throw new BerthException("volume " + what + " not found");
        }
        return data.orElse(Map.of());
    }
}
