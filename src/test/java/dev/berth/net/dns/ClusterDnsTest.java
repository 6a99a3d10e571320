package dev.berth.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Services' names as files for dnsmasq's hosts directory, and what dnsmasq is asked for; no dnsmasq runs here. */
class ClusterDnsTest {

    @TempDir
    Path dir;

    private ClusterDns dns(String domain) {
        return new ClusterDns(new ClusterDns.Settings(dir.resolve("dns"), "10.88.0.1", domain,
                Path.of("/etc/resolv.conf"), dir.resolve("no-dnsmasq")));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> listed = Files.list(dir.resolve("dns/hosts"))) {
            return listed.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aServiceIsNamedServiceDotNamespaceDotSvcDotTheClusterDomain() {
        assertEquals("web.shop.svc.cluster.local", dns("cluster.local").serviceName("shop/web"));
        assertEquals("web.shop.svc.berth.internal", dns("berth.internal").serviceName("shop/web"));
        assertThrows(BerthException.class, () -> dns("cluster.local").serviceName("web"));
        assertThrows(BerthException.class, () -> dns("cluster.local").serviceName("a/b/c"));
        assertThrows(BerthException.class, () -> dns("cluster.local").serviceName("shop/We b"));
    }

    @Test
    void aHostsFileGivesEachAddressTheName() {
        assertEquals("10.96.0.10\tweb.shop.svc.cluster.local\n",
                ClusterDns.hostsFile("web.shop.svc.cluster.local", List.of("10.96.0.10")));
        assertEquals("10.88.0.5\tdb.shop.svc.cluster.local\n10.88.0.6\tdb.shop.svc.cluster.local\n"
                        + "fd00::6\tdb.shop.svc.cluster.local\n",
                ClusterDns.hostsFile("db.shop.svc.cluster.local", List.of("10.88.0.5", "10.88.0.6", "fd00::6")));
        assertThrows(BerthException.class, () -> ClusterDns.hostsFile("x.shop.svc.cluster.local",
                List.of("10.0.0.1\n10.0.0.2 evil.example")));
    }

    @Test
    void noNamesOnANodeThatServesNoneLeaveNoDirectory() {
        dns("cluster.local").publish(Map.of("shop/idle", List.of()));
        assertFalse(Files.exists(dir.resolve("dns")), "a stopped server's names stay gone");
    }

    @Test
    void publishWritesOneFilePerServiceAndRemovesTheOnesNoLongerGiven() throws IOException {
        ClusterDns dns = dns("cluster.local");
        dns.publish(Map.of("shop/web", List.of("10.96.0.10"), "shop/db", List.of("10.88.0.5", "10.88.0.6"),
                "shop/idle", List.of()));
        assertEquals(List.of("db.shop.svc.cluster.local", "web.shop.svc.cluster.local"), files(),
                "a headless Service without ready pods has no name");
        assertEquals("10.96.0.10\tweb.shop.svc.cluster.local\n",
                Files.readString(dir.resolve("dns/hosts/web.shop.svc.cluster.local")));

        Path web = dir.resolve("dns/hosts/web.shop.svc.cluster.local");
        FileTime written = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(web, written);
        dns.publish(Map.of("shop/web", List.of("10.96.0.10"), "other/api", List.of("10.96.0.11")));
        assertEquals(List.of("api.other.svc.cluster.local", "web.shop.svc.cluster.local"), files());
        assertEquals(written, Files.getLastModifiedTime(web), "unchanged, so not written again (nor re-read)");

        dns.publish(Map.of("shop/web", List.of("10.96.0.12")));
        assertEquals("10.96.0.12\tweb.shop.svc.cluster.local\n", Files.readString(web));
        Path db = dir.resolve("dns/hosts/db.shop.svc.cluster.local");
        dns.publish(Map.of("shop/web", List.of("10.96.0.12"), "shop/db", List.of("10.88.0.6", "10.88.0.5")));
        Files.setLastModifiedTime(db, written);
        dns.publish(Map.of("shop/web", List.of("10.96.0.12"), "shop/db", List.of("10.88.0.5", "10.88.0.6")));
        assertEquals(written, Files.getLastModifiedTime(db), "the same addresses in another order");
        assertEquals("10.88.0.5\tdb.shop.svc.cluster.local\n10.88.0.6\tdb.shop.svc.cluster.local\n",
                Files.readString(db));
        dns.publish(Map.of("shop/web", List.of("10.96.0.12")));
        assertEquals(List.of("web.shop.svc.cluster.local"), files());

        Files.writeString(dir.resolve("dns/hosts/.web.shop.svc.cluster.local.1234.tmp"), "torn by a crash");
        dns.publish(Map.of());
        assertEquals(List.of(), files());
    }

    @Test
    void dnsmasqIsAskedToServeOnlyTheGatewayAndKeepTheClusterDomainLocal() {
        List<String> command = dns("cluster.local").command();
        assertEquals(dir.resolve("no-dnsmasq").toString(), command.get(0));
        assertTrue(command.containsAll(List.of("--listen-address=10.88.0.1", "--bind-dynamic", "--no-hosts",
                "--hostsdir=" + dir.resolve("dns/hosts"), "--resolv-file=/etc/resolv.conf", "--local=/cluster.local/",
                "--pid-file=" + dir.resolve("dns/dnsmasq.pid"))), command.toString());
        assertFalse(command.stream().anyMatch(a -> a.startsWith("--dhcp") || a.startsWith("--interface")), "no DHCP");
    }

    @Test
    void withoutDnsmasqTheErrorNamesTheDebianPackage() {
        BerthException e = assertThrows(BerthException.class, () -> dns("cluster.local").ensureRunning());
        assertTrue(e.getMessage().contains("dnsmasq-base"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("no-dnsmasq").toString()), e.getMessage());
    }

    @Test
    void aStalePidFileIsNotOurDnsmasq() throws IOException {
        ClusterDns dns = dns("cluster.local");
        Files.createDirectories(dir.resolve("dns"));
        Files.writeString(dir.resolve("dns/dnsmasq.pid"), ProcessHandle.current().pid() + "\n");
        assertTrue(dns.running().isEmpty(), "this JVM has the pid, but it is no dnsmasq of this directory");
        dns.stop();
        assertFalse(Files.exists(dir.resolve("dns/dnsmasq.pid")));
        assertTrue(ProcessHandle.current().isAlive());
    }
}
