package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.List;

/**
 * A pod's {@code /etc/hosts}, in the format the kubelet writes: its header, the localhost entries, the pod's IPs
 * with its hostname (FQDN first with a subdomain), then the {@code hostAliases}. A hostNetwork pod gets the host's
 * file under a header of its own, with the aliases after it.
 */
final class EtcHosts {

    static final String HEADER = "# Kubernetes-managed hosts file.\n";
    static final String HOST_NETWORK_HEADER = "# Kubernetes-managed hosts file (host network).\n";

    /**
     * Where the hostname points while a pod has no IP of its own (berth gives pods only a loopback yet): an address
     * of the pod's own loopback, so that a process resolving its hostname reaches itself as it would through the pod
     * IP; 127.0.1.1 rather than 127.0.0.1, as Debian does, so that 127.0.0.1 still reads back as localhost.
     */
    static final String NO_POD_IP = "127.0.1.1";

    private EtcHosts() {}

    /** @param podIps the pod's IPs, none until pods have a network */
    static String managed(List<String> podIps, PodHostname name, List<HostAlias> aliases) {
        StringBuilder out = new StringBuilder(HEADER)
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        String names = name.domain() == null ? name.hostname() : name.fqdn() + "\t" + name.hostname();
        for (String ip : podIps.isEmpty() ? List.of(NO_POD_IP) : podIps) {
            out.append(ip).append('\t').append(names).append('\n');
        }
        return out.append(aliases(aliases)).toString();
    }

    /** @param hostFile the host's own /etc/hosts */
    static String hostNetwork(String hostFile, List<HostAlias> aliases) {
        return HOST_NETWORK_HEADER + hostFile + aliases(aliases);
    }

    private static String aliases(List<HostAlias> aliases) {
        if (aliases == null || aliases.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : aliases) {
            orEmpty(alias.getHostnames()).forEach(h -> out.append(alias.getIp()).append('\t').append(h).append('\n'));
        }
        return out.toString();
    }
}
