package dev.berth.manifest;

import dev.berth.core.SysctlNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Fields of a pod spec that berth does not honour, said at validate instead of being dropped: an error where running
 * the pod without them would be less safe or behave otherwise than asked (docs/security.md lists them), a warning where a
 * single node makes them moot. Also the securityContext values berth honours only within bounds.
 */
final class UnsupportedFields {

    /** Kubernetes' safe, namespaced sysctls: what a pod may set without touching the node. */
    static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    private static final long MAX_ID = Integer.MAX_VALUE;

    private final BiConsumer<String, String> error;
    private final BiConsumer<String, String> warning;

    /** Both take a JSON pointer and a message. */
    UnsupportedFields(BiConsumer<String, String> error, BiConsumer<String, String> warning) {
        this.error = error;
        this.warning = warning;
    }

    void podSpec(String at, PodSpec spec) {
        refuse(at + "/shareProcessNamespace", Boolean.TRUE.equals(spec.getShareProcessNamespace()),
                "each container of a berth pod has its own PID namespace");
        refuse(at + "/hostUsers", Boolean.FALSE.equals(spec.getHostUsers()), "berth runs no user namespaces");
        refuse(at + "/runtimeClassName", spec.getRuntimeClassName() != null, "berth has one runtime");
        refuse(at + "/ephemeralContainers", spec.getEphemeralContainers() != null
                && !spec.getEphemeralContainers().isEmpty(), "use berth run-pod to debug");
        refuse(at + "/resourceClaims", spec.getResourceClaims() != null && !spec.getResourceClaims().isEmpty(),
                "berth has no dynamic resource allocation");
        new SchedulingFields(error, warning).podSpec(at, spec); // affinity, topology spread, extended resources
        moot(at + "/serviceAccountName", spec.getServiceAccountName() != null);
        moot(at + "/automountServiceAccountToken", spec.getAutomountServiceAccountToken() != null);
        moot(at + "/imagePullSecrets", spec.getImagePullSecrets() != null && !spec.getImagePullSecrets().isEmpty(),
                "registry credentials come from berth's config (registries) or a Docker auth file");
        moot(at + "/readinessGates", spec.getReadinessGates() != null && !spec.getReadinessGates().isEmpty());
        podSecurity(at + "/securityContext", spec.getSecurityContext(), Boolean.TRUE.equals(spec.getHostNetwork()),
                Boolean.TRUE.equals(spec.getHostIPC()));
        volumes(at + "/volumes", spec.getVolumes());
        containers(at + "/initContainers", spec.getInitContainers(), true);
        containers(at + "/containers", spec.getContainers(), false);
    }

    private void podSecurity(String at, PodSecurityContext sc, boolean hostNetwork, boolean hostIpc) {
        if (sc == null) {
            return;
        }
        id(at + "/runAsUser", sc.getRunAsUser());
        id(at + "/runAsGroup", sc.getRunAsGroup());
        id(at + "/fsGroup", sc.getFsGroup());
        List<Long> groups = sc.getSupplementalGroups() == null ? List.of() : sc.getSupplementalGroups();
        for (int i = 0; i < groups.size(); i++) {
            id(at + "/supplementalGroups/" + i, groups.get(i));
        }
        seccomp(at + "/seccompProfile", sc.getSeccompProfile());
        refuse(at + "/seLinuxOptions", sc.getSeLinuxOptions() != null, "berth applies no SELinux labels");
        refuse(at + "/appArmorProfile", sc.getAppArmorProfile() != null
                && !"Unconfined".equals(sc.getAppArmorProfile().getType()), "berth applies no AppArmor profile");
        refuse(at + "/fsGroupChangePolicy", sc.getFsGroupChangePolicy() != null
                && !"OnRootMismatch".equals(sc.getFsGroupChangePolicy()),
                "berth sets fsGroup on a volume's directory only (as OnRootMismatch)");
        List<Sysctl> sysctls = sc.getSysctls() == null ? List.of() : sc.getSysctls();
        for (int i = 0; i < sysctls.size(); i++) {
            String name = sysctls.get(i).getName();
            String dotted = name == null ? null : SysctlNames.dotted(name);
            String where = at + "/sysctls/" + i + "/name";
            if (!SAFE_SYSCTLS.contains(dotted)) {
                error.accept(where, "sysctl \"" + name + "\" is not one of Kubernetes' safe, namespaced sysctls "
                        + "(" + String.join(", ", new java.util.TreeSet<>(SAFE_SYSCTLS)) + ")");
            } else if ((hostNetwork && dotted.startsWith("net.")) || (hostIpc && dotted.startsWith("kernel."))) {
                error.accept(where, "sysctl \"" + name + "\" would change the host's own namespace (hostNetwork or "
                        + "hostIPC)");
            } else if (sysctls.get(i).getValue() == null || sysctls.get(i).getValue().contains("\n")) {
                error.accept(at + "/sysctls/" + i + "/value", "sysctl \"" + name + "\" needs a one-line value");
            }
        }
    }

    private void containers(String at, List<Container> containers, boolean init) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            Container c = containers.get(i);
            String here = at + "/" + i;
            refuse(here + "/lifecycle", c.getLifecycle() != null, "berth runs no postStart or preStop hooks");
            refuse(here + "/restartPolicy", c.getRestartPolicy() != null,
                    init ? "berth has no sidecar init containers" : "it is for init containers");
            refuse(here + "/volumeDevices", c.getVolumeDevices() != null && !c.getVolumeDevices().isEmpty(),
                    "berth has no block volumes");
            refuse(here + "/resizePolicy", c.getResizePolicy() != null && !c.getResizePolicy().isEmpty(),
                    "berth does not resize running containers");
            refuse(here + "/stdin", Boolean.TRUE.equals(c.getStdin()), "berth attaches no input");
            refuse(here + "/tty", Boolean.TRUE.equals(c.getTty()), "berth allocates no terminal");
            terminationMessage(here, c);
            SecurityContext sc = c.getSecurityContext();
            if (sc != null) {
                String s = here + "/securityContext";
                id(s + "/runAsUser", sc.getRunAsUser());
                id(s + "/runAsGroup", sc.getRunAsGroup());
                seccomp(s + "/seccompProfile", sc.getSeccompProfile());
                refuse(s + "/seLinuxOptions", sc.getSeLinuxOptions() != null, "berth applies no SELinux labels");
                refuse(s + "/appArmorProfile", sc.getAppArmorProfile() != null
                        && !"Unconfined".equals(sc.getAppArmorProfile().getType()), "berth applies no AppArmor profile");
                refuse(s + "/procMount", sc.getProcMount() != null && !"Default".equals(sc.getProcMount()),
                        "berth masks /proc as Docker does");
            }
        }
    }

    private void volumes(String at, List<Volume> volumes) {
        for (int i = 0; volumes != null && i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            boolean known = v.getEmptyDir() != null || v.getHostPath() != null || v.getConfigMap() != null
                    || v.getSecret() != null || v.getPersistentVolumeClaim() != null || v.getDownwardAPI() != null
                    || v.getProjected() != null;
            if (!known) {
                error.accept(at + "/" + i, "volume \"" + v.getName() + "\": berth supports emptyDir, hostPath, "
                        + "configMap, secret, downwardAPI, projected and persistentVolumeClaim volumes");
            }
        }
    }

    private void seccomp(String at, io.fabric8.kubernetes.api.model.SeccompProfile profile) {
        if (profile == null) {
            return;
        }
        String type = profile.getType();
        String file = profile.getLocalhostProfile();
        if (!Set.of("RuntimeDefault", "Unconfined", "Localhost").contains(String.valueOf(type))) {
            error.accept(at + "/type", "seccompProfile type must be RuntimeDefault, Unconfined or Localhost, got \""
                    + type + "\"");
        } else if (type.equals("Localhost") != (file != null)) {
            error.accept(at + "/localhostProfile", "localhostProfile is required with type Localhost, and only then");
        } else if (file != null && (file.isBlank() || file.startsWith("/") || List.of(file.split("/")).contains(".."))) {
            error.accept(at + "/localhostProfile", "localhostProfile must be a path relative to the node's seccomp "
                    + "directory (<root>/seccomp), without '..', got \"" + file + "\"");
        }
    }

    private void id(String at, Long id) {
        if (id != null && (id < 0 || id > MAX_ID)) {
            error.accept(at, "must be between 0 and " + MAX_ID + ", got " + id);
        }
    }

    /** As the API server checks the policy; a relative path is refused too, as no runtime could bind it. */
    private void terminationMessage(String at, Container c) {
        String policy = c.getTerminationMessagePolicy();
        if (policy != null && !policy.equals("File") && !policy.equals("FallbackToLogsOnError")) {
            error.accept(at + "/terminationMessagePolicy", "terminationMessagePolicy must be File or "
                    + "FallbackToLogsOnError, got \"" + policy + "\"");
        }
        String path = c.getTerminationMessagePath();
        if (path != null && !path.isEmpty() && !path.startsWith("/")) {
            error.accept(at + "/terminationMessagePath", "terminationMessagePath must be an absolute path, got \""
                    + path + "\"");
        }
    }

    private void refuse(String at, boolean present, String why) {
        if (present) {
            error.accept(at, "field \"" + ModelBinder.dotted(at) + "\" is not supported: " + why);
        }
    }

    private void moot(String at, boolean present) {
        moot(at, present, "one node, nothing to do");
    }

    private void moot(String at, boolean present, String why) {
        if (present) {
            warning.accept(at, "field \"" + ModelBinder.dotted(at) + "\" is ignored: " + why);
        }
    }
}
