package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.Mount;
import dev.berth.core.Quantity;
import dev.berth.runtime.Mounter;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a pod's volumes exist on the host and says where each is: emptyDir (a directory of the pod, or a tmpfs
 * for {@code medium: Memory}), hostPath (checked by type), configMap and secret (files projected from the desired
 * state; secrets on a tmpfs so they never touch the disk), downwardAPI (the pod's fields and resources), projected
 * (configMap, secret and downwardAPI sources in one directory; on a tmpfs when it holds a secret), persistentVolumeClaim (a named local volume under the
 * state root that outlives the pod).
 */
final class PodVolumes {

    private static final java.util.regex.Pattern CLAIM_NAME = java.util.regex.Pattern.compile("[a-z0-9][-a-z0-9.]{0,252}");

    private final StateLayout layout;
    private final Mounter mounter;
    private final ConfigSource config;
    private final NodeFacts node;

    PodVolumes(StateLayout layout, Mounter mounter, ConfigSource config, NodeFacts node) {
        this.layout = layout;
        this.mounter = mounter;
        this.config = config;
        this.node = node;
    }

    /**
     * Host path of each volume, by name. On failure, what was set up is torn down again.
     *
     * @param rootOnly whether every container of the pod runs as root, so that secret volumes can be root's alone
     */
    Map<String, Path> prepare(Pod pod, Path podDir, boolean rootOnly) {
        Map<String, Path> paths = new LinkedHashMap<>();
        Long fsGroup = fsGroup(pod);
        try {
            for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
                paths.put(v.getName(), prepare(pod, v, podDir.resolve("volumes").resolve(v.getName()), fsGroup,
                        rootOnly));
            }
        } catch (RuntimeException e) {
            release(podDir);
            throw e;
        }
        return paths;
    }

    /**
     * Writes the files of the pod's volumes that show its labels or annotations again, from {@code pod} as it is now:
     * as the kubelet does when they change, through the same atomic swap, so a reader never sees half of it.
     */
    void refreshMetadata(Pod pod, Path podDir) {
        VolumeSources sources = new VolumeSources(pod, config, node);
        for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
            if (VolumeSources.showsMetadata(v)) {
                Path dir = podDir.resolve("volumes").resolve(v.getName());
                ProjectedFiles.write(dir, v.getDownwardAPI() != null ? sources.downwardApi(v) : sources.projected(v),
                        fsGroup(pod));
            }
        }
    }

    private static Long fsGroup(Pod pod) {
        var security = pod.getSpec().getSecurityContext();
        return security == null ? null : security.getFsGroup();
    }

    /** Where each volume of a pod that runs already is, by name: nothing is created or mounted again. */
    Map<String, Path> locate(Pod pod, Path podDir) {
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Volume v : orEmpty(pod.getSpec().getVolumes())) {
            Path own = podDir.resolve("volumes").resolve(v.getName());
            if (v.getHostPath() != null) {
                paths.put(v.getName(), Path.of(v.getHostPath().getPath()));
            } else if (v.getPersistentVolumeClaim() != null) {
                paths.put(v.getName(), claim(pod.getMetadata().getNamespace(), v.getPersistentVolumeClaim().getClaimName()));
            } else {
                paths.put(v.getName(), own);
            }
        }
        return paths;
    }

    /** A claim's data: the name was checked at validate; checked again here, as a record may predate that check. */
    private Path claim(String namespace, String claimName) {
        if (claimName == null || !CLAIM_NAME.matcher(claimName).matches() || claimName.contains("..")) {
            throw new BerthException("persistentVolumeClaim.claimName \"" + claimName + "\" is not a valid name");
        }
        return layout.volumes().resolve(namespace).resolve(claimName);
    }

    /**
     * Where a container's subPaths are bound before it starts: under the pod's volumes, which a teardown unmounts;
     * volume names cannot start with a dot, so no volume is ever there.
     */
    static Path subPathStaging(Path podDir, String container) {
        return podDir.resolve("volumes").resolve(".subpaths").resolve(container);
    }

    /** Unmounts the pod's tmpfs volumes; the directories go with the pod's directory. PVC data stays. */
    void release(Path podDir) {
        mounter.unmountAllUnder(podDir.resolve("volumes"));
    }

    private Path prepare(Pod pod, Volume v, Path dir, Long fsGroup, boolean rootOnly) {
        String namespace = pod.getMetadata().getNamespace();
        if (v.getEmptyDir() != null) {
            createDirectories(dir);
            if ("Memory".equals(v.getEmptyDir().getMedium())) {
                String size = v.getEmptyDir().getSizeLimit() == null ? null : v.getEmptyDir().getSizeLimit().toString();
                mounter.mount(tmpfs(List.of("mode=0777"), size), dir);
            }
            // as the kubelet makes it: any user of the pod may write there; the state root keeps the host's users out
            setMode(dir, 0777);
            if (fsGroup != null) {
                VolumeOwnership.apply(dir, fsGroup, VolumeOwnership.WRITABLE_DIRECTORY);
            }
            return dir;
        }
        if (v.getHostPath() != null) {
            Path host = Path.of(v.getHostPath().getPath());
            HostPaths.check(host, v.getHostPath().getType());
            return host;
        }
        if (v.getConfigMap() != null) {
            var source = v.getConfigMap();
            Map<String, byte[]> data = VolumeSources.data(config.configMap(namespace, source.getName()), source.getOptional(),
                    v.getName() + ": ConfigMap \"" + source.getName() + "\"");
            ProjectedFiles.write(dir, data, source.getItems(), source.getDefaultMode(), fsGroup);
            return dir;
        }
        if (v.getSecret() != null) {
            var source = v.getSecret();
            Map<String, byte[]> data = VolumeSources.data(config.secret(namespace, source.getSecretName()), source.getOptional(),
                    v.getName() + ": Secret \"" + source.getSecretName() + "\"");
            secretTmpfs(dir, fsGroup, rootOnly);
            ProjectedFiles.write(dir, data, source.getItems(), source.getDefaultMode(), fsGroup);
            return dir;
        }
        if (v.getDownwardAPI() != null) {
            ProjectedFiles.write(dir, new VolumeSources(pod, config, node).downwardApi(v), fsGroup);
            return dir;
        }
        if (v.getProjected() != null) {
            if (orEmpty(v.getProjected().getSources()).stream().anyMatch(s -> s.getSecret() != null)) {
                secretTmpfs(dir, fsGroup, rootOnly);
            }
            ProjectedFiles.write(dir, new VolumeSources(pod, config, node).projected(v), fsGroup);
            return dir;
        }
        if (v.getPersistentVolumeClaim() != null) {
            Path claim = claim(namespace, v.getPersistentVolumeClaim().getClaimName());
            createDirectories(claim);
            if (fsGroup != null) {
                VolumeOwnership.apply(claim, fsGroup, VolumeOwnership.WRITABLE_DIRECTORY);
            }
            return claim;
        }
        throw new BerthException("volume " + v.getName() + ": only emptyDir, hostPath, configMap, secret, downwardAPI, "
                + "projected and persistentVolumeClaim volumes are supported");
    }

    /** Root's alone where only root reads it; else readable to the pod's users (fsGroup's, given one). */
    private void secretTmpfs(Path dir, Long fsGroup, boolean rootOnly) {
        createDirectories(dir);
        List<String> mode = fsGroup != null ? List.of("mode=0750", "gid=" + fsGroup)
                : List.of(rootOnly ? "mode=0700" : "mode=0755");
        mounter.mount(tmpfs(mode, null), dir);
    }

    private static Mount tmpfs(List<String> mode, String sizeLimit) {
        List<String> options = new ArrayList<>(mode);
        options.addAll(List.of("nosuid", "nodev"));
        if (sizeLimit != null) {
            options.add("size=" + Quantity.parse(sizeLimit).value().toBigInteger());
        }
        return new Mount("tmpfs", "tmpfs", options);
    }

    private static void setMode(Path dir, int mode) {
        try {
            Files.setPosixFilePermissions(dir, ProjectedFiles.permissions(mode));
        } catch (IOException e) {
            throw new BerthException("cannot set the mode of volume directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BerthException("cannot create volume directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
