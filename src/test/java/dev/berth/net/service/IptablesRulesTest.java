package dev.berth.net.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Services' rules as rendered: what each chain holds, in order; no iptables is run. */
class IptablesRulesTest {

    private static final ServiceEndpoints.Endpoint A = new ServiceEndpoints.Endpoint("pod-a", "10.88.0.2", 8080);
    private static final ServiceEndpoints.Endpoint B = new ServiceEndpoints.Endpoint("pod-b", "10.88.0.3", 8080);
    private static final ServiceEndpoints.Endpoint C = new ServiceEndpoints.Endpoint("pod-c", "10.88.0.4", 8080);

    private static ServiceEndpoints web(int nodePort, ServiceEndpoints.Endpoint... endpoints) {
        return new ServiceEndpoints("shop", "web", "10.96.0.10", List.of(
                new ServiceEndpoints.Port("http", "TCP", 80, nodePort, List.of(endpoints))));
    }

    private static List<String> rules(Map<String, IptablesRules.Table> tables, String table, String chain) {
        return tables.get(table).rules().stream().filter(r -> r.startsWith("-A " + chain + " ")).toList();
    }

    private static String svc() {
        return IptablesRules.chain("SVC-", "shop/web:http/TCP");
    }

    private static String sep(ServiceEndpoints.Endpoint e) {
        return IptablesRules.chain("SEP-", "shop/web:http/TCP/" + e.ip() + ":" + e.port());
    }

    @Test
    void noServiceRendersNoChainAtAll() {
        assertTrue(IptablesRules.render(List.of()).isEmpty());
        assertEquals("", IptablesRules.text(IptablesRules.render(List.of())));
    }

    @Test
    void theVirtualIpJumpsToTheServicesChainWhichPicksEachEndpointWithEqualOdds() {
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(web(0, A, B, C)));
        assertEquals(List.of(
                "-A BERTH-SERVICES -m comment --comment \"shop/web:http cluster IP\" -d 10.96.0.10/32 -p tcp -m tcp"
                        + " --dport 80 -j " + svc(),
                "-A BERTH-SERVICES -m comment --comment \"berth service nodeports; must be the last rule in this"
                        + " chain\" -m addrtype --dst-type LOCAL -j BERTH-NODEPORTS"), rules(t, "nat", "BERTH-SERVICES"));
        assertEquals(List.of(
                "-A " + svc() + " -m comment --comment \"shop/web:http cluster IP\" -m addrtype --src-type LOCAL -j"
                        + " BERTH-MARK-MASQ",
                "-A " + svc() + " -m comment --comment \"shop/web:http -> 10.88.0.2:8080\" -m statistic --mode random"
                        + " --probability 0.3333333333 -j " + sep(A),
                "-A " + svc() + " -m comment --comment \"shop/web:http -> 10.88.0.3:8080\" -m statistic --mode random"
                        + " --probability 0.5000000000 -j " + sep(B),
                "-A " + svc() + " -m comment --comment \"shop/web:http -> 10.88.0.4:8080\" -j " + sep(C)),
                rules(t, "nat", svc()));
        assertEquals(List.of(
                "-A " + sep(A) + " -m comment --comment \"shop/web:http\" -s 10.88.0.2/32 -j BERTH-MARK-MASQ",
                "-A " + sep(A) + " -m comment --comment \"shop/web:http\" -p tcp -m tcp -j DNAT --to-destination"
                        + " 10.88.0.2:8080"), rules(t, "nat", sep(A)));
        assertTrue(t.get("nat").chains().containsAll(List.of(svc(), sep(A), sep(B), sep(C))));
        assertTrue(rules(t, "filter", "BERTH-SERVICES").isEmpty(), "no REJECT while it has endpoints");
        assertTrue(rules(t, "nat", "BERTH-NODEPORTS").isEmpty());
    }

    @Test
    void aSingleEndpointTakesEverythingWithoutAStatisticMatch() {
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(web(0, A)));
        List<String> svc = rules(t, "nat", svc());
        assertEquals("-A " + svc() + " -m comment --comment \"shop/web:http -> 10.88.0.2:8080\" -j " + sep(A),
                svc.get(svc.size() - 1));
        assertFalse(String.join("\n", svc).contains("statistic"));
    }

    @Test
    void aPortWithoutEndpointsIsRejectedInTheFilterTableAndHasNoNatChain() {
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(web(30080)));
        assertEquals(List.of("-A BERTH-SERVICES -m comment --comment \"shop/web:http has no endpoints\" -d"
                + " 10.96.0.10/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable"),
                rules(t, "filter", "BERTH-SERVICES"));
        assertEquals(List.of("-A BERTH-EXTERNAL-SERVICES -m comment --comment \"shop/web:http has no endpoints\" -m"
                + " addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT --reject-with"
                + " icmp-port-unreachable"), rules(t, "filter", "BERTH-EXTERNAL-SERVICES"));
        assertFalse(t.get("nat").chains().contains(svc()));
        assertEquals(1, rules(t, "nat", "BERTH-SERVICES").size(), "the NodePorts jump alone");
    }

    @Test
    void aNodePortIsMarkedForSnatThenSentToTheServicesChain() {
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(web(30080, A)));
        assertEquals(List.of(
                "-A BERTH-NODEPORTS -m comment --comment \"shop/web:http\" -p tcp -m tcp --dport 30080 -j BERTH-MARK-MASQ",
                "-A BERTH-NODEPORTS -m comment --comment \"shop/web:http\" -p tcp -m tcp --dport 30080 -j " + svc()),
                rules(t, "nat", "BERTH-NODEPORTS"));
    }

    @Test
    void markedPacketsAreMasqueradedAndTheLocalnetFirewallGuardsRouteLocalnet() {
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(web(0, A)));
        assertEquals(List.of(
                "-A BERTH-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A BERTH-POSTROUTING -j MARK --xor-mark 0x4000",
                "-A BERTH-POSTROUTING -m comment --comment \"berth service traffic requiring SNAT\" -j MASQUERADE"
                        + " --random-fully"), rules(t, "nat", "BERTH-POSTROUTING"));
        assertEquals(List.of("-A BERTH-MARK-MASQ -j MARK --or-mark 0x4000"), rules(t, "nat", "BERTH-MARK-MASQ"));
        assertEquals(List.of("-A BERTH-FIREWALL -m comment --comment \"block incoming localnet connections\" ! -s"
                + " 127.0.0.0/8 -d 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP"),
                rules(t, "filter", "BERTH-FIREWALL"));
    }

    @Test
    void aHeadlessServiceHasNoRules() {
        ServiceEndpoints headless = new ServiceEndpoints("shop", "db", ServiceIps.NONE, List.of(
                new ServiceEndpoints.Port("", "TCP", 5432, 0, List.of(A))));
        Map<String, IptablesRules.Table> t = IptablesRules.render(List.of(headless));
        assertEquals(List.of("BERTH-SERVICES", "BERTH-NODEPORTS", "BERTH-POSTROUTING", "BERTH-MARK-MASQ"),
                List.copyOf(t.get("nat").chains()));
        assertFalse(IptablesRules.text(t).contains("5432"));
    }

    @Test
    void udpPortsAndUnnamedPortsAreMatchedByTheirProtocol() {
        ServiceEndpoints dns = new ServiceEndpoints("kube", "dns", "10.96.0.53", List.of(
                new ServiceEndpoints.Port("", "UDP", 53, 0, List.of(new ServiceEndpoints.Endpoint("p", "10.88.0.9",
                        5353)))));
        String text = IptablesRules.text(IptablesRules.render(List.of(dns)));
        assertTrue(text.contains("--comment \"kube/dns cluster IP\" -d 10.96.0.53/32 -p udp -m udp --dport 53 -j "
                + IptablesRules.chain("SVC-", "kube/dns/UDP")), text);
        assertTrue(text.contains("-p udp -m udp -j DNAT --to-destination 10.88.0.9:5353"), text);
    }

    @Test
    void chainNamesFitIptablesLimitAndDifferByWhatTheyAreFor() {
        String one = IptablesRules.chain("SVC-", "shop/web:http/TCP");
        assertEquals(26, one.length());
        assertFalse(one.equals(IptablesRules.chain("SVC-", "shop/web:http/UDP")));
        assertEquals(one, IptablesRules.chain("SVC-", "shop/web:http/TCP"), "stable across syncs and restarts");
    }

    @Test
    void theTextDeclaresEachChainBeforeItsRulesAndCommitsEachTable() {
        String text = IptablesRules.text(IptablesRules.render(List.of(web(0, A))));
        assertTrue(text.startsWith("*filter\n:BERTH-SERVICES - [0:0]\n:BERTH-EXTERNAL-SERVICES - [0:0]\n"
                + ":BERTH-FIREWALL - [0:0]\n"), text);
        assertTrue(text.indexOf("*nat\n") > text.indexOf("COMMIT\n"));
        assertTrue(text.indexOf(":" + sep(A) + " - [0:0]") < text.indexOf("-A " + sep(A)));
        assertTrue(text.endsWith("COMMIT\n"));
    }
}
