package dev.berth.manifest;

import dev.berth.core.IpLiteral;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The API server's checks of what becomes a pod's /etc/hosts, /etc/resolv.conf and hostname: hostname and subdomain
 * are DNS labels, dnsPolicy one of four, dnsConfig within glibc's limits, IPs that parse.
 */
final class PodDnsChecks {

    private static final Set<String> POLICIES = Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_NAMESERVERS = 3;
    private static final int MAX_SEARCHES = 32;
    private static final int MAX_SEARCH_LINE = 2048;

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    PodDnsChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    void podSpec(String at, PodSpec spec) {
        label(at + "/hostname", spec.getHostname());
        label(at + "/subdomain", spec.getSubdomain());
        String policy = spec.getDnsPolicy();
        if (policy != null && !POLICIES.contains(policy)) {
            error.accept(at + "/dnsPolicy", "dnsPolicy must be ClusterFirst, ClusterFirstWithHostNet, Default or None, "
                    + "got \"" + policy + "\"");
        }
        PodDNSConfig config = spec.getDnsConfig();
        if ("None".equals(policy) && (config == null || isEmpty(config.getNameservers()))) {
            error.accept(config == null ? at + "/dnsPolicy" : at + "/dnsConfig",
                    "dnsPolicy None needs at least one nameserver in dnsConfig.nameservers");
        }
        if (config != null) {
            dnsConfig(at + "/dnsConfig", config);
        }
        hostAliases(at + "/hostAliases", spec.getHostAliases());
    }

    private void dnsConfig(String at, PodDNSConfig config) {
        List<String> servers = config.getNameservers() == null ? List.of() : config.getNameservers();
        if (servers.size() > MAX_NAMESERVERS) {
            error.accept(at + "/nameservers", "at most " + MAX_NAMESERVERS + " nameservers, got " + servers.size());
        }
        for (int i = 0; i < servers.size(); i++) {
            ip(at + "/nameservers/" + i, servers.get(i));
        }
        List<String> searches = config.getSearches() == null ? List.of() : config.getSearches();
        if (searches.size() > MAX_SEARCHES) {
            error.accept(at + "/searches", "at most " + MAX_SEARCHES + " search domains, got " + searches.size());
        } else if (String.join(" ", searches).length() > MAX_SEARCH_LINE) {
            error.accept(at + "/searches", "the search domains must be at most " + MAX_SEARCH_LINE
                    + " characters together, spaces included");
        }
        for (int i = 0; i < searches.size(); i++) {
            String search = searches.get(i);
            String bare = search.endsWith(".") ? search.substring(0, search.length() - 1) : search;
            if (!search.equals(".") && !DNS_SUBDOMAIN.matcher(bare).matches()) {
                error.accept(at + "/searches/" + i, "search domain \"" + search + "\" is not a DNS name (lowercase "
                        + "letters, digits, '-' and '.')");
            }
        }
        List<PodDNSConfigOption> options = config.getOptions() == null ? List.of() : config.getOptions();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).getName() == null || options.get(i).getName().isEmpty()) {
                error.accept(at + "/options/" + i, "a DNS option needs a name");
            }
        }
    }

    private void hostAliases(String at, List<HostAlias> aliases) {
        for (int i = 0; aliases != null && i < aliases.size(); i++) {
            HostAlias alias = aliases.get(i);
            ip(at + "/" + i + "/ip", alias.getIp());
            List<String> names = alias.getHostnames() == null ? List.of() : alias.getHostnames();
            for (int j = 0; j < names.size(); j++) {
                if (names.get(j) == null || !DNS_SUBDOMAIN.matcher(names.get(j)).matches()) {
                    error.accept(at + "/" + i + "/hostnames/" + j, "hostname \"" + names.get(j) + "\" is not a DNS "
                            + "name (lowercase letters, digits, '-' and '.')");
                }
            }
        }
    }

    private void ip(String at, String value) {
        if (!IpLiteral.isValid(value)) {
            error.accept(at, "\"" + value + "\" is not an IP address");
        }
    }

    private void label(String at, String value) {
        if (value != null && !value.isEmpty() && !DNS_LABEL.matcher(value).matches()) {
            error.accept(at, "field \"" + ModelBinder.dotted(at) + "\" must be a DNS label: lowercase letters, "
                    + "digits and '-', at most 63 characters, starting and ending with a letter or digit; got \""
                    + value + "\"");
        }
    }

    private static boolean isEmpty(List<String> list) {
        return list == null || list.isEmpty();
    }
}
