package dev.berth.inspect;

import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;

/** The Volumes section of {@code describe pod}, in kubectl's words, for the volume types berth runs. */
final class VolumeDescription {

    private VolumeDescription() {}

    static void append(List<Volume> volumes, StringBuilder out) {
        if (volumes.isEmpty()) {
            out.append("Volumes:\t<none>\n");
            return;
        }
        out.append("Volumes:\n");
        for (Volume v : volumes) {
            out.append("  ").append(v.getName()).append(":\n");
            if (v.getEmptyDir() != null) {
                var dir = v.getEmptyDir();
                field(out, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)");
                field(out, "Medium", dir.getMedium() == null ? "" : dir.getMedium());
                field(out, "SizeLimit", dir.getSizeLimit() == null ? "<unset>" : dir.getSizeLimit().toString());
            } else if (v.getHostPath() != null) {
                field(out, "Type", "HostPath (bare host directory volume)");
                field(out, "Path", v.getHostPath().getPath());
                field(out, "HostPathType", v.getHostPath().getType() == null ? "<none>" : v.getHostPath().getType());
            } else if (v.getConfigMap() != null) {
                field(out, "Type", "ConfigMap (a volume populated by a ConfigMap)");
                field(out, "Name", v.getConfigMap().getName());
                field(out, "Optional", String.valueOf(Boolean.TRUE.equals(v.getConfigMap().getOptional())));
            } else if (v.getSecret() != null) {
                field(out, "Type", "Secret (a volume populated by a Secret)");
                field(out, "SecretName", v.getSecret().getSecretName());
                field(out, "Optional", String.valueOf(Boolean.TRUE.equals(v.getSecret().getOptional())));
            } else if (v.getPersistentVolumeClaim() != null) {
                field(out, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
                field(out, "ClaimName", v.getPersistentVolumeClaim().getClaimName());
                field(out, "ReadOnly", String.valueOf(Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())));
            } else {
                out.append("    <unknown>\n");
            }
        }
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("    ").append(name).append(":\t").append(value).append('\n');
    }
}
