package dev.berth.net.service;

import dev.berth.core.Hashing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Services' rules as kube-proxy's iptables mode writes them, in chains of berth's own: rendered from the Services
 * alone (no I/O), as iptables-restore input. Each Service port's virtual IP jumps to a {@code BERTH-SVC-*} chain that
 * picks one endpoint's {@code BERTH-SEP-*} chain at random with equal odds (the statistic match's probability, 1/n,
 * then 1/(n-1), ..., the last taking the rest), which DNATs to the pod. A port without endpoints is REJECTed in the
 * filter table, so that a client fails at once instead of waiting for a timeout.
 */
public final class IptablesRules {

    public static final String PREFIX = "BERTH-";
    static final String SERVICES = "BERTH-SERVICES";
    static final String EXTERNAL = "BERTH-EXTERNAL-SERVICES";
    static final String FIREWALL = "BERTH-FIREWALL";
    static final String NODEPORTS = "BERTH-NODEPORTS";
    static final String POSTROUTING = "BERTH-POSTROUTING";
    static final String MARK_MASQ = "BERTH-MARK-MASQ";
    /** The packet mark that asks BERTH-POSTROUTING to masquerade; the CNI portmap plugin uses 0x2000. */
    static final String MASQ_MARK = "0x4000/0x4000";

    /** The jumps from the built-in chains into berth's, by table; kept at the top of those chains. */
    static final Map<String, List<Jump>> JUMPS = Map.of(
            "filter", List.of(
                    new Jump("INPUT", "-m conntrack --ctstate NEW -m comment --comment \"berth externally-visible"
                            + " service portals\" -j " + EXTERNAL),
                    new Jump("FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"berth service portals\" -j "
                            + SERVICES),
                    new Jump("OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"berth service portals\" -j "
                            + SERVICES),
                    new Jump("INPUT", "-m comment --comment \"berth firewall\" -j " + FIREWALL)),
            "nat", List.of(
                    new Jump("PREROUTING", "-m comment --comment \"berth service portals\" -j " + SERVICES),
                    new Jump("OUTPUT", "-m comment --comment \"berth service portals\" -j " + SERVICES),
                    new Jump("POSTROUTING", "-m comment --comment \"berth postrouting rules\" -j " + POSTROUTING)));

    /** A rule in a built-in chain ({@code chain}) that jumps into one of berth's chains. */
    record Jump(String chain, String rule) {

        String target() {
            return rule.substring(rule.lastIndexOf("-j ") + 3);
        }
    }

    /**
     * The rules of one table: berth's chains in the order declared, and the rules appended to them.
     */
    record Table(Set<String> chains, List<String> rules) {}

    private IptablesRules() {}

    /** The filter and nat tables' chains and rules for {@code services}; no Service gives no chain at all. */
    public static Map<String, Table> render(List<ServiceEndpoints> services) {
        Map<String, Table> tables = new LinkedHashMap<>();
        if (services.isEmpty()) {
            return tables;
        }
        Table filter = new Table(new LinkedHashSet<>(List.of(SERVICES, EXTERNAL, FIREWALL)), new ArrayList<>());
        Table nat = new Table(new LinkedHashSet<>(List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ)),
                new ArrayList<>());
        tables.put("filter", filter);
        tables.put("nat", nat);
        // route_localnet=1, which NodePorts on 127.0.0.1 need, would let a neighbour reach the host's 127.0.0.1
        // services: drop such packets unless they are the replies or the DNATed ones (kube-proxy's CVE-2020-8558 fix)
        filter.rules().add("-A " + FIREWALL + " -m comment --comment \"block incoming localnet connections\""
                + " ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
        nat.rules().add("-A " + POSTROUTING + " -m mark ! --mark " + MASQ_MARK + " -j RETURN");
        nat.rules().add("-A " + POSTROUTING + " -j MARK --xor-mark 0x4000"); // cleared: a re-routed packet is not SNATed twice
        nat.rules().add("-A " + POSTROUTING + " -m comment --comment \"berth service traffic requiring SNAT\""
                + " -j MASQUERADE --random-fully");
        nat.rules().add("-A " + MARK_MASQ + " -j MARK --or-mark 0x4000");
        for (ServiceEndpoints service : services) {
            if (service.headless()) {
                continue; // a name only: DNS answers with the pods' IPs
            }
            for (ServiceEndpoints.Port port : service.ports()) {
                if (port.endpoints().isEmpty()) {
                    reject(filter, service, port);
                } else {
                    forward(nat, service, port);
                }
            }
        }
        // after every Service's own rules: a packet to one of the host's addresses may be for a NodePort
        nat.rules().add("-A " + SERVICES + " -m comment --comment \"berth service nodeports; must be the last rule in"
                + " this chain\" -m addrtype --dst-type LOCAL -j " + NODEPORTS);
        return tables;
    }

    /** The tables as iptables-restore reads them: each chain declared (which empties it), then its rules. */
    public static String text(Map<String, Table> tables) {
        StringBuilder out = new StringBuilder();
        tables.forEach((name, table) -> {
            out.append('*').append(name).append('\n');
            table.chains().forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            table.rules().forEach(r -> out.append(r).append('\n'));
            out.append("COMMIT\n");
        });
        return out.toString();
    }

    private static void forward(Table nat, ServiceEndpoints service, ServiceEndpoints.Port port) {
        String name = portName(service, port);
        String match = match(port.protocol());
        String svc = chain("SVC-", name + "/" + port.protocol());
        nat.chains().add(svc);
        nat.rules().add("-A " + SERVICES + comment(name + " cluster IP") + " -d " + service.clusterIP() + "/32 " + match
                + " --dport " + port.port() + " -j " + svc);
        if (port.nodePort() > 0) {
            String rule = "-A " + NODEPORTS + comment(name) + " " + match + " --dport " + port.nodePort();
            nat.rules().add(rule + " -j " + MARK_MASQ); // SNATed, so that replies come back through the host
            nat.rules().add(rule + " -j " + svc);
        }
        // from the host itself: SNAT to the address facing the pod, whatever source the host's routes chose
        nat.rules().add("-A " + svc + comment(name + " cluster IP") + " -m addrtype --src-type LOCAL -j " + MARK_MASQ);
        List<ServiceEndpoints.Endpoint> endpoints = port.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            ServiceEndpoints.Endpoint ep = endpoints.get(i);
            String to = ep.ip() + ":" + ep.port();
            String sep = chain("SEP-", name + "/" + port.protocol() + "/" + to);
            nat.chains().add(sep);
            String odds = i == endpoints.size() - 1 ? "" : String.format(Locale.ROOT,
                    " -m statistic --mode random --probability %.10f", 1.0 / (endpoints.size() - i));
            nat.rules().add("-A " + svc + comment(name + " -> " + to) + odds + " -j " + sep);
            // hairpin: a pod reaching itself through its Service is SNATed, or it would answer itself directly
            nat.rules().add("-A " + sep + comment(name) + " -s " + ep.ip() + "/32 -j " + MARK_MASQ);
            nat.rules().add("-A " + sep + comment(name) + " " + match + " -j DNAT --to-destination " + to);
        }
    }

    private static void reject(Table filter, ServiceEndpoints service, ServiceEndpoints.Port port) {
        String name = portName(service, port);
        String match = match(port.protocol());
        filter.rules().add("-A " + SERVICES + comment(name + " has no endpoints") + " -d " + service.clusterIP()
                + "/32 " + match + " --dport " + port.port() + " -j REJECT --reject-with icmp-port-unreachable");
        if (port.nodePort() > 0) {
            filter.rules().add("-A " + EXTERNAL + comment(name + " has no endpoints") + " -m addrtype --dst-type LOCAL "
                    + match + " --dport " + port.nodePort() + " -j REJECT --reject-with icmp-port-unreachable");
        }
    }

    /** {@code namespace/name:port}, or {@code namespace/name} for a Service's single unnamed port. */
    private static String portName(ServiceEndpoints service, ServiceEndpoints.Port port) {
        return service.namespacedName() + (port.name().isEmpty() ? "" : ":" + port.name());
    }

    private static String match(String protocol) {
        String p = protocol.toLowerCase(Locale.ROOT);
        return "-p " + p + " -m " + p;
    }

    private static String comment(String text) {
        return " -m comment --comment \"" + text + "\"";
    }

    /** A chain named by a hash of what it is for: 26 characters, within iptables' 28. */
    static String chain(String kind, String of) {
        return PREFIX + kind + Hashing.sha256Hex(of).substring(0, 16).toUpperCase(Locale.ROOT);
    }
}
