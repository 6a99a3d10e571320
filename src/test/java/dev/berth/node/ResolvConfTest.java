package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.net.dns.ClusterDnsConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A pod's /etc/resolv.conf by the kubelet's rules, with berth's cluster DNS server and without one. */
class ResolvConfTest {

    private static final ResolvConf HOST = ResolvConf.parse("""
            # written by hand
            nameserver 10.0.0.2
            search corp.example lab.example.
            nameserver 10.0.0.3
            options edns0 ndots:2
            """);
    private static final ClusterDnsConfig CLUSTER = new ClusterDnsConfig(List.of("10.88.0.1"), "cluster.local");
    private static final String HOSTS_OWN = """
            search corp.example lab.example
            nameserver 10.0.0.2
            nameserver 10.0.0.3
            options edns0 ndots:2
            """;

    private static PodSpec spec(String dnsPolicy, boolean hostNetwork, PodDNSConfig dnsConfig) {
        return new PodSpecBuilder().withDnsPolicy(dnsPolicy).withHostNetwork(hostNetwork).withDnsConfig(dnsConfig)
                .addNewContainer().withName("main").withImage("busybox:1.35").endContainer().build();
    }

    private static String render(PodSpec spec, ClusterDnsConfig cluster) {
        return ResolvConf.forPod(spec, "shop", HOST, cluster).render();
    }

    @Test
    void clusterFirstNamesOnlyTheClusterServerWithTheClusterSearchPathBeforeTheHostsAndNdots5() {
        String expected = """
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
                nameserver 10.88.0.1
                options ndots:5
                """;
        assertEquals(expected, render(spec(null, false, null), CLUSTER), "ClusterFirst is the default");
        assertEquals(expected, render(spec("ClusterFirst", false, null), CLUSTER));
        assertEquals(expected, render(spec("ClusterFirstWithHostNet", false, null), CLUSTER));
    }

    @Test
    void theClusterDomainIsTheConfigsAndAHostSearchDomainAlreadyThereIsNotRepeated() {
        ResolvConf host = ResolvConf.parse("search berth.internal corp.example\nnameserver 10.0.0.2\n");
        ResolvConf conf = ResolvConf.forPod(spec(null, false, null), "shop", host,
                new ClusterDnsConfig(List.of("10.77.0.1"), "berth.internal"));
        assertEquals(List.of("shop.svc.berth.internal", "svc.berth.internal", "berth.internal", "corp.example"),
                conf.searches());
        assertEquals(List.of("10.77.0.1"), conf.nameservers());
    }

    @Test
    void withoutAClusterServerClusterFirstKeepsTheHostsNameservers() {
        assertEquals("""
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
                nameserver 10.0.0.2
                nameserver 10.0.0.3
                options ndots:5
                """, render(spec(null, false, null), ClusterDnsConfig.NONE));
    }

    @Test
    void defaultIsTheHostsAndSoIsClusterFirstOnTheHostNetworkUnlessWithHostNet() {
        assertEquals(HOSTS_OWN, render(spec("Default", false, null), CLUSTER));
        assertEquals(HOSTS_OWN, render(spec("ClusterFirst", true, null), CLUSTER));
        assertEquals(HOSTS_OWN, render(spec(null, true, null), ClusterDnsConfig.NONE));
        assertEquals("""
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
                nameserver 10.88.0.1
                options ndots:5
                """, render(spec("ClusterFirstWithHostNet", true, null), CLUSTER));
    }

    @Test
    void noneIsOnlyTheDnsConfig() {
        PodDNSConfig config = new PodDNSConfigBuilder().withNameservers("1.1.1.1")
                .withSearches("ns1.svc.cluster-domain.example", "my.dns.search.suffix")
                .addNewOption().withName("ndots").withValue("2").endOption()
                .addNewOption().withName("edns0").endOption()
                .build();
        assertEquals("""
                search ns1.svc.cluster-domain.example my.dns.search.suffix
                nameserver 1.1.1.1
                options ndots:2 edns0
                """, render(spec("None", false, config), CLUSTER));
    }

    @Test
    void dnsConfigIsAddedAfterTheClusterServerWithoutRepeatsAndItsOptionsWin() {
        PodDNSConfig config = new PodDNSConfigBuilder().withNameservers("10.88.0.1", "9.9.9.9")
                .withSearches("corp.example", "extra.example")
                .addNewOption().withName("ndots").withValue("1").endOption()
                .addNewOption().withName("rotate").endOption()
                .build();
        ResolvConf conf = ResolvConf.forPod(spec(null, false, config), "shop", HOST, CLUSTER);
        assertEquals(List.of("10.88.0.1", "9.9.9.9"), conf.nameservers());
        assertEquals(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example",
                "lab.example", "extra.example"), conf.searches());
        assertEquals(List.of("ndots:1", "rotate"), conf.options());

        ResolvConf onDefault = ResolvConf.forPod(spec("Default", false, config), "shop", HOST, CLUSTER);
        assertEquals(List.of("10.0.0.2", "10.0.0.3", "10.88.0.1"), onDefault.nameservers(), "cut to three");
        assertEquals(List.of("edns0", "ndots:1", "rotate"), onDefault.options());
    }

    @Test
    void theKubeletsLimitsCutNameserversAndSearches() {
        List<String> many = IntStream.range(0, 40).mapToObj(i -> "d" + i + ".example").toList();
        PodDNSConfig config = new PodDNSConfigBuilder().withNameservers("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4")
                .withSearches(many).build();
        ResolvConf conf = ResolvConf.forPod(spec("None", false, config), "shop", HOST, CLUSTER);
        assertEquals(List.of("1.1.1.1", "2.2.2.2", "3.3.3.3"), conf.nameservers());
        assertEquals(many.subList(0, 32), conf.searches());

        String tooLong = "x".repeat(254);
        List<String> wide = IntStream.range(0, 12).mapToObj(i -> ("w" + i).repeat(100).substring(0, 200)).toList();
        PodDNSConfig widely = new PodDNSConfigBuilder().withNameservers("1.1.1.1").addToSearches(tooLong)
                .addAllToSearches(wide).build();
        assertEquals(wide.subList(0, 10), ResolvConf.forPod(spec("None", false, widely), "shop", HOST, CLUSTER)
                .searches(), "the 254-character domain dropped; cut to 2048 characters");
    }

    @Test
    void theClusterSearchPathComesFirstSoTheHostsDomainsAreTheOnesCutAt32() {
        ResolvConf host = ResolvConf.parse("nameserver 10.0.0.2\nsearch "
                + String.join(" ", IntStream.range(0, 31).mapToObj(i -> "h" + i + ".example").toList()) + "\n");
        List<String> expected = new ArrayList<>(List.of("shop.svc.cluster.local", "svc.cluster.local",
                "cluster.local"));
        IntStream.range(0, 29).mapToObj(i -> "h" + i + ".example").forEach(expected::add);
        assertEquals(expected, ResolvConf.forPod(spec(null, false, null), "shop", host, CLUSTER).searches());
    }
}
