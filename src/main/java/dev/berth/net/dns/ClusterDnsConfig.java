package dev.berth.net.dns;

import java.util.List;

/**
 * The cluster DNS that pods' resolv.conf names, as the kubelet's {@code clusterDNS} and {@code clusterDomain} give it.
 *
 * @param servers the pods' DNS servers; none: pods with {@code ClusterFirst} keep the host's resolvers
 * @param domain  the domain of the Services' names ({@code network.clusterDomain})
 */
public record ClusterDnsConfig(List<String> servers, String domain) {

    /** Kubernetes' default, so that names written for a cluster resolve the same. */
    public static final String DEFAULT_DOMAIN = "cluster.local";
    /** Pods without a network of their own: no server would be reachable from them. */
    public static final ClusterDnsConfig NONE = new ClusterDnsConfig(List.of(), DEFAULT_DOMAIN);

    public ClusterDnsConfig {
        servers = List.copyOf(servers);
    }
}
