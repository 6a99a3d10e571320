package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.runtime.BeneathRoot;
import dev.berth.runtime.ExtraMount;
import dev.berth.runtime.Mounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each volume mount of a container comes from on the host: its volume's directory, or a {@code subPath} of it.
 * A subPath is opened without following any symbolic link and bound into the pod's directory first: a link that a
 * container planted in a writable volume cannot mount a host directory into the next container (CVE-2017-1002101).
 */
final class ContainerVolumes {

    private final Mounter mounter;

    ContainerVolumes(Mounter mounter) {
        this.mounter = mounter;
    }

    /**
     * @param volumes each volume's directory on the host, by name
     * @param staging where this container's subPaths are bound (emptied first: a restart binds them anew)
     * @throws BerthException {@code CreateContainerConfigError}, naming the volume, for a subPath that escapes
     */
    List<ExtraMount> mounts(String container, List<ContainerLaunch.VolumeMount> wanted, Map<String, Path> volumes,
                            Path staging) {
        mounter.unmountAllUnder(staging);
        List<ExtraMount> mounts = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            ContainerLaunch.VolumeMount m = wanted.get(i);
            Path source = volumes.get(m.volume());
            if (source == null) {
                throw new BerthException("volumeMount " + m.path() + ": no volume named \"" + m.volume() + "\" in the pod");
            }
            if (m.subPath() != null && !m.subPath().isEmpty()) {
                Path staged = staging.resolve(Integer.toString(i));
                try {
                    new BeneathRoot(source, mounter).bind(m.subPath(), staged);
                } catch (BerthException e) {
                    throw new BerthException("CreateContainerConfigError: container " + container + ": volume "
                            + m.volume() + ": subPath " + e.getMessage(), e);
                }
                source = staged;
            }
            mounts.add(ExtraMount.bind(source.toString(), m.path(), m.readOnly()));
        }
        return mounts;
    }
}
