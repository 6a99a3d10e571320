package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ImageConfig;
import dev.berth.runtime.SeccompProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns one container of a pod spec, with its image's config, into a {@link ContainerLaunch}. */
final class LaunchPlanner {

    private final EnvironmentResolver environment;
    private final Path seccompProfiles;

    /** @param seccompProfiles where {@code Localhost} seccomp profiles are: {@code <root>/seccomp} */
    LaunchPlanner(EnvironmentResolver environment, Path seccompProfiles) {
        this.environment = environment;
        this.seccompProfiles = seccompProfiles;
    }

    ContainerLaunch plan(Pod pod, Container c, ImageConfig image, ImageFiles imageFiles) {
        EnvironmentResolver.ContainerEnvironment env = environment.resolve(pod, image.env(), c);
        List<String> argv = ContainerCommand.resolve(image.entrypoint(), image.cmd(), orEmpty(c.getCommand()),
                orEmpty(c.getArgs())).stream().map(a -> ContainerCommand.expand(a, env.declared())).toList();
        if (argv.isEmpty()) {
            throw new BerthException("container " + c.getName() + ": no command, and the image has neither Entrypoint nor Cmd");
        }
        String cwd = c.getWorkingDir() != null ? c.getWorkingDir() : image.workingDir().isEmpty() ? "/" : image.workingDir();
        PodSecurityContext podSecurity = pod.getSpec().getSecurityContext();
        ContainerUser user = ContainerUser.resolve(podSecurity, c.getSecurityContext(), image.user(), imageFiles,
                c.getName());
        ResourceRequirements r = c.getResources();
        CgroupLimits limits = CgroupLimits.of(r == null ? null : r.getLimits(), r == null ? null : r.getRequests());
        Set<String> projected = new HashSet<>();
        orEmpty(pod.getSpec().getVolumes()).stream().filter(v -> v.getConfigMap() != null || v.getSecret() != null
                        || v.getDownwardAPI() != null || v.getProjected() != null)
                .forEach(v -> projected.add(v.getName()));
        // configMap, secret, downwardAPI and projected volumes are always read-only, as since Kubernetes 1.10: a
        // container must not plant anything where the node writes (CVE-2017-1002102)
        List<ContainerLaunch.VolumeMount> mounts = orEmpty(c.getVolumeMounts()).stream()
                .map(m -> new ContainerLaunch.VolumeMount(m.getName(), m.getMountPath(),
                        SubPathExpression.subPath(m, env.declared(), c.getName()),
                        Boolean.TRUE.equals(m.getReadOnly()) || projected.contains(m.getName())))
                .toList();
        return new ContainerLaunch(c.getName(), c.getImage(), c.getImagePullPolicy(), argv, env.lines(), cwd, user,
                security(podSecurity, c.getSecurityContext(), c.getName()), limits, mounts);
    }

    private ContainerLaunch.Security security(PodSecurityContext pod, SecurityContext sc, String name) {
        SeccompProfile seccomp = seccomp(sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile()
                : pod == null ? null : pod.getSeccompProfile(), name);
        if (sc == null) {
            return new ContainerLaunch.Security(false, false, false, List.of(), List.of(), seccomp);
        }
        Capabilities caps = sc.getCapabilities();
        boolean privileged = Boolean.TRUE.equals(sc.getPrivileged());
        // the kubelet sets no_new_privs only for allowPrivilegeEscalation: false; else setuid binaries and file
        // capabilities work as on any Linux (and as with Docker)
        boolean noNewPrivileges = !privileged && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation());
        return new ContainerLaunch.Security(privileged, Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()), noNewPrivileges,
                caps == null ? List.of() : orEmpty(caps.getAdd()), caps == null ? List.of() : orEmpty(caps.getDrop()),
                seccomp);
    }

    /**
     * RuntimeDefault unless the manifest says otherwise, as Docker and Podman do (the kubelet's
     * {@code --seccomp-default}); a Localhost profile is a file under the node's seccomp directory.
     */
    private SeccompProfile seccomp(io.fabric8.kubernetes.api.model.SeccompProfile profile, String name) {
        if (profile == null || profile.getType() == null || profile.getType().equals("RuntimeDefault")) {
            return SeccompProfile.RUNTIME_DEFAULT;
        }
        if (profile.getType().equals("Unconfined")) {
            return SeccompProfile.UNCONFINED;
        }
        String file = profile.getLocalhostProfile();
        // checked at validate already; checked again as a record may predate the check
        if (profile.getType().equals("Localhost") && file != null && !file.isBlank() && !file.startsWith("/")
                && !List.of(file.split("/")).contains("..")) {
            return SeccompProfile.localhost(seccompProfiles.resolve(file));
        }
        throw new BerthException("CreateContainerConfigError: container " + name + ": seccompProfile type \""
                + profile.getType() + "\" with localhostProfile \"" + file + "\" is not one berth can run");
    }
}
