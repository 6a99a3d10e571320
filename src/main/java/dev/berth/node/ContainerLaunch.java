package dev.berth.node;

import dev.berth.runtime.SeccompProfile;
import java.util.List;

/**
 * Everything needed to start one container of a pod, resolved from the pod spec, the image's config and the
 * desired state: what a runtime needs, with Kubernetes' rules already applied.
 *
 * @param argv    the process to run (never empty)
 * @param user    who the process runs as, from securityContext or else the image's User (root when neither says)
 * @param volumes where each of the pod's volumes appears in this container
 */
record ContainerLaunch(String name, String image, String pullPolicy, List<String> argv, List<String> env, String cwd,
                       ContainerUser user, Security security, CgroupLimits limits, List<VolumeMount> volumes) {

    /** What a container may do beyond the defaults. */
    record Security(boolean privileged, boolean readOnlyRootfs, boolean noNewPrivileges, List<String> addCapabilities,
                    List<String> dropCapabilities, SeccompProfile seccomp) {}

    /** One volume mounted into the container: the pod's volume name, the path inside, read-only or not. */
    record VolumeMount(String volume, String path, String subPath, boolean readOnly) {}
}
