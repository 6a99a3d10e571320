package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.net.dns.ClusterDnsConfig;
import dev.berth.runtime.ExtraMount;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's {@code /etc/hosts} and {@code /etc/resolv.conf}: written into the pod's directory once, when the pod
 * starts, and bound into each container, as the kubelet and containerd do. They go with the pod's directory.
 */
final class PodEtcFiles {

    static final String HOSTS = "/etc/hosts";
    static final String RESOLV_CONF = "/etc/resolv.conf";

    /** The host's files a pod's are made from. */
    record HostFiles(Path hosts, Path resolvConf, Path systemdResolvConf) {
        static final HostFiles SYSTEM = new HostFiles(Path.of("/etc/hosts"), Path.of("/etc/resolv.conf"),
                Path.of("/run/systemd/resolve/resolv.conf"));

        /**
         * The host's resolvers. With systemd-resolved, /etc/resolv.conf names only its stub at 127.0.0.53, which
         * does not answer in a pod's network namespace: the kubelet is then given the upstream servers' file.
         */
        Path resolvers() {
            return readsStub(resolvConf) && Files.isRegularFile(systemdResolvConf) ? systemdResolvConf : resolvConf;
        }

        private static boolean readsStub(Path file) {
            List<String> servers = ResolvConf.parse(read(file)).nameservers();
            return !servers.isEmpty() && servers.stream().allMatch("127.0.0.53"::equals);
        }
    }

    private final HostFiles host;
    private final ClusterDnsConfig cluster;

    PodEtcFiles(HostFiles host, ClusterDnsConfig cluster) {
        this.host = host;
        this.cluster = cluster;
    }

    /**
     * Writes the pod's two files unless they are there already (a container started again keeps what the pod
     * started with, as in Kubernetes).
     *
     * @param podIps the pod's IPs, none until pods have a network of their own
     */
    void write(Pod pod, Path podDir, List<String> podIps) {
        var spec = pod.getSpec();
        if (!Files.exists(hostsFile(podDir))) {
            String hosts = Boolean.TRUE.equals(spec.getHostNetwork())
                    ? EtcHosts.hostNetwork(read(host.hosts()), spec.getHostAliases())
                    : EtcHosts.managed(podIps, PodHostname.of(pod, cluster.domain()), spec.getHostAliases());
            writeFile(hostsFile(podDir), hosts);
        }
        if (!Files.exists(resolvConfFile(podDir))) {
            ResolvConf resolv = ResolvConf.forPod(spec, pod.getMetadata().getNamespace(),
                    ResolvConf.parse(read(host.resolvers())), cluster);
            writeFile(resolvConfFile(podDir), resolv.render());
        }
    }

    /**
     * The binds of a container: none over a path it mounts a volume at itself. /etc/hosts is writable, as the
     * kubelet binds it; /etc/resolv.conf is read-only with a read-only root filesystem, as containerd binds it.
     */
    static List<ExtraMount> mounts(Path podDir, ContainerLaunch launch) {
        List<String> own = launch.volumes().stream().map(ContainerLaunch.VolumeMount::path).toList();
        List<ExtraMount> mounts = new ArrayList<>();
        if (!own.contains(HOSTS)) {
            mounts.add(ExtraMount.bind(hostsFile(podDir).toString(), HOSTS, false));
        }
        if (!own.contains(RESOLV_CONF)) {
            mounts.add(ExtraMount.bind(resolvConfFile(podDir).toString(), RESOLV_CONF,
                    launch.security().readOnlyRootfs()));
        }
        return mounts;
    }

    static Path hostsFile(Path podDir) {
        return podDir.resolve("etc-hosts");
    }

    static Path resolvConfFile(Path podDir) {
        return podDir.resolve("resolv.conf");
    }

    /** A host file, or nothing when the host has none (a container, a minimal system). */
    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new BerthException("cannot read the host's " + file + ": " + e.getMessage(), e);
        }
    }

    /** 0644 as the kubelet writes it: any user of the pod reads it; the pod's directory keeps the host's users out. */
    private static void writeFile(Path file, String content) {
        try {
            Path temporary = file.resolveSibling("." + file.getFileName() + ".new");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BerthException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
