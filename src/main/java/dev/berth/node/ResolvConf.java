package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.net.dns.ClusterDnsConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's {@code /etc/resolv.conf}: the kubelet's rules for {@code dnsPolicy} and {@code dnsConfig}, its limits, and
 * the file as containerd writes it from them.
 */
record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

    /** glibc reads no more nameservers than this. */
    static final int MAX_NAMESERVERS = 3;
    /** The kubelet's limits on the search line (those of ExpandedDNSConfig, GA since Kubernetes 1.28). */
    static final int MAX_SEARCHES = 32;
    static final int MAX_SEARCH_LINE = 2048;
    /** A longer search domain makes some resolvers abort (glibc 2.28): the kubelet drops it. */
    private static final int MAX_SEARCH_DOMAIN = 253;

    ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    /** As the kubelet reads the host's file: nameservers add up; the last search and options lines win. */
    static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = List.of();
        List<String> options = List.of();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            List<String> rest = List.of(fields).subList(1, fields.length);
            switch (fields[0]) {
                case "nameserver" -> nameservers.addAll(rest.stream().limit(1).toList());
                case "search" -> searches = rest.stream().map(s -> s.endsWith(".") ? s.substring(0, s.length() - 1) : s)
                        .toList();
                case "options" -> options = rest;
                default -> { }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /**
     * The pod's file from the host's: {@code Default} keeps the host's; {@code None} starts empty;
     * {@code ClusterFirst} (the default, and Default again for a hostNetwork pod) and
     * {@code ClusterFirstWithHostNet} name the cluster's DNS servers only, put the cluster's search path before the
     * host's and set {@code ndots:5}. Without a cluster DNS server (pods without a network) they keep the host's
     * nameservers. {@code dnsConfig} is then added, and the limits applied.
     */
    static ResolvConf forPod(PodSpec spec, String namespace, ResolvConf host, ClusterDnsConfig cluster) {
        String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        ResolvConf base = switch (policy) {
            case "None" -> new ResolvConf(List.of(), List.of(), List.of());
            case "Default" -> host;
            case "ClusterFirst" -> hostNetwork ? host : clusterFirst(host, namespace, cluster);
            default -> clusterFirst(host, namespace, cluster); // ClusterFirstWithHostNet; validate refuses others
        };
        return base.with(spec.getDnsConfig()).withinLimits();
    }

    /** As the kubelet's: the cluster's server forwards every name it does not know to the host's resolvers. */
    private static ResolvConf clusterFirst(ResolvConf host, String namespace, ClusterDnsConfig cluster) {
        String domain = cluster.domain();
        List<String> searches = new ArrayList<>(List.of(namespace + ".svc." + domain, "svc." + domain, domain));
        searches.addAll(host.searches);
        List<String> servers = cluster.servers().isEmpty() ? host.nameservers : cluster.servers();
        return new ResolvConf(servers, distinct(searches), List.of("ndots:5"));
    }

    /** dnsConfig's nameservers and searches after these, without repeats; its options replace same-named ones. */
    private ResolvConf with(PodDNSConfig config) {
        if (config == null) {
            return this;
        }
        List<String> servers = new ArrayList<>(nameservers);
        servers.addAll(orEmpty(config.getNameservers()));
        List<String> search = new ArrayList<>(searches);
        search.addAll(orEmpty(config.getSearches()));
        Map<String, String> merged = new LinkedHashMap<>();
        for (String option : options) {
            int colon = option.indexOf(':');
            merged.put(colon < 0 ? option : option.substring(0, colon), colon < 0 ? "" : option.substring(colon + 1));
        }
        for (PodDNSConfigOption option : orEmpty(config.getOptions())) {
            merged.put(option.getName(), option.getValue() == null ? "" : option.getValue());
        }
        List<String> opts = merged.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + ":" + e.getValue()).toList();
        return new ResolvConf(distinct(servers), distinct(search), opts);
    }

    /** The kubelet's cuts: nameservers past three, searches past 32, longer than 253, or past 2048 characters. */
    private ResolvConf withinLimits() {
        List<String> search = searches.stream().limit(MAX_SEARCHES).filter(s -> s.length() <= MAX_SEARCH_DOMAIN)
                .toList();
        int end = search.size();
        while (end > 0 && String.join(" ", search.subList(0, end)).length() > MAX_SEARCH_LINE) {
            end--;
        }
        return new ResolvConf(nameservers.stream().limit(MAX_NAMESERVERS).toList(), search.subList(0, end), options);
    }

    /** The file, as containerd writes it: the search line, one line per nameserver, the options line. */
    String render() {
        StringBuilder out = new StringBuilder();
        if (!searches.isEmpty()) {
            out.append("search ").append(String.join(" ", searches)).append('\n');
        }
        nameservers.forEach(n -> out.append("nameserver ").append(n).append('\n'));
        if (!options.isEmpty()) {
            out.append("options ").append(String.join(" ", options)).append('\n');
        }
        return out.toString();
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
