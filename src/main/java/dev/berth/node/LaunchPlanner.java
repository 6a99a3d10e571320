package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ImageConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns one container of a pod spec, with its image's config, into a {@link ContainerLaunch}. */
final class LaunchPlanner {

    private final EnvironmentResolver environment;

    LaunchPlanner(EnvironmentResolver environment) {
        this.environment = environment;
    }

    ContainerLaunch plan(Pod pod, Container c, ImageConfig image) {
        String namespace = pod.getMetadata().getNamespace();
        String podName = pod.getMetadata().getName();
        List<String> env = environment.resolve(namespace, podName, image.env(), c);
        Map<String, String> vars = new HashMap<>();
        env.forEach(line -> vars.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        List<String> argv = ContainerCommand.resolve(image.entrypoint(), image.cmd(), orEmpty(c.getCommand()),
                orEmpty(c.getArgs())).stream().map(a -> ContainerCommand.expand(a, vars)).toList();
        if (argv.isEmpty()) {
            throw new BerthException("container " + c.getName() + ": no command, and the image has neither Entrypoint nor Cmd");
        }
        String cwd = c.getWorkingDir() != null ? c.getWorkingDir() : image.workingDir().isEmpty() ? "/" : image.workingDir();
        long[] user = user(pod.getSpec().getSecurityContext(), c.getSecurityContext(), image.user(), c.getName());
        ResourceRequirements r = c.getResources();
        CgroupLimits limits = CgroupLimits.of(r == null ? null : r.getLimits(), r == null ? null : r.getRequests());
        Set<String> projected = new HashSet<>();
        orEmpty(pod.getSpec().getVolumes()).stream().filter(v -> v.getConfigMap() != null || v.getSecret() != null)
                .forEach(v -> projected.add(v.getName()));
        // configMap and secret volumes are always read-only, as since Kubernetes 1.10: a container must not plant
        // anything where the node writes (CVE-2017-1002102)
        List<ContainerLaunch.VolumeMount> mounts = orEmpty(c.getVolumeMounts()).stream()
                .map(m -> new ContainerLaunch.VolumeMount(m.getName(), m.getMountPath(), m.getSubPath(),
                        Boolean.TRUE.equals(m.getReadOnly()) || projected.contains(m.getName())))
                .toList();
        return new ContainerLaunch(c.getName(), c.getImage(), c.getImagePullPolicy(), argv, env, cwd, user[0], user[1],
                security(c.getSecurityContext()), limits, mounts);
    }

    /** securityContext of the container, else of the pod, else the image's numeric User ("uid" or "uid:gid"). */
    private static long[] user(PodSecurityContext pod, SecurityContext container, String imageUser, String name) {
        Optional<Long> uid = Optional.ofNullable(container == null ? null : container.getRunAsUser())
                .or(() -> Optional.ofNullable(pod == null ? null : pod.getRunAsUser()));
        Optional<Long> gid = Optional.ofNullable(container == null ? null : container.getRunAsGroup())
                .or(() -> Optional.ofNullable(pod == null ? null : pod.getRunAsGroup()));
        long[] fromImage = {0, 0};
        if (!imageUser.isEmpty()) {
            String[] parts = imageUser.split(":", 2);
            try {
                fromImage[0] = Long.parseLong(parts[0]);
                fromImage[1] = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            } catch (NumberFormatException e) {
                if (uid.isEmpty()) {
                    throw new BerthException("container " + name + ": image user \"" + imageUser
                            + "\" is a name; set securityContext.runAsUser to a number");
                }
            }
        }
        return new long[] {uid.orElse(fromImage[0]), gid.orElse(uid.isPresent() ? 0 : fromImage[1])};
    }

    private static ContainerLaunch.Security security(SecurityContext sc) {
        if (sc == null) {
            return new ContainerLaunch.Security(false, false, true, List.of(), List.of());
        }
        Capabilities caps = sc.getCapabilities();
        boolean privileged = Boolean.TRUE.equals(sc.getPrivileged());
        // Kubernetes: no_new_privs unless privilege escalation is allowed explicitly, or the container is privileged.
        boolean noNewPrivileges = !privileged && !Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation());
        return new ContainerLaunch.Security(privileged, Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()), noNewPrivileges,
                caps == null ? List.of() : orEmpty(caps.getAdd()), caps == null ? List.of() : orEmpty(caps.getDrop()));
    }
}
