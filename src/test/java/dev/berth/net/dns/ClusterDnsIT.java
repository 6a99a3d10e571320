package dev.berth.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pods' DNS server for real: dnsmasq started by {@link ClusterDns} on a bridge of the test's own, asked from a
 * network namespace of the test's own, as a pod would ask: through glibc with the pod's search path and ndots:5
 * ({@code ip netns exec} binds {@code /etc/netns/<ns>/resolv.conf} over /etc/resolv.conf), and with busybox nslookup.
 * A second dnsmasq on the bridge stands in for the host's resolvers; it answers every cluster name with 192.0.2.99,
 * so a cluster name that leaked upstream would show.
 */
class ClusterDnsIT {

    private static final String BRIDGE = "berth-dns-it";
    private static final String NETNS = "berth-dns-it";
    private static final String GATEWAY = "10.88.251.1";
    private static final String UPSTREAM = "10.88.251.3";
    private static final Path NETNS_ETC = Path.of("/etc/netns", NETNS);
    private static final Duration NAME_DEADLINE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private Process upstream;
    private ClusterDns dns;

    @BeforeEach
    void network() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("ip", "getent", "busybox");
        Prerequisites.require(Files.isExecutable(ClusterDns.DNSMASQ), "dnsmasq is not installed (dnsmasq-base)");
        Processes.run("ip", "link", "add", BRIDGE, "type", "bridge");
        Processes.run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        Processes.run("ip", "addr", "add", UPSTREAM + "/24", "dev", BRIDGE);
        Processes.run("ip", "link", "set", BRIDGE, "up");
        Processes.run("ip", "netns", "add", NETNS);
        Processes.run("ip", "link", "add", "bdnsit-h", "type", "veth", "peer", "name", "eth0", "netns", NETNS);
        Processes.run("ip", "link", "set", "bdnsit-h", "master", BRIDGE, "up");
        Processes.run("ip", "-n", NETNS, "addr", "add", "10.88.251.2/24", "dev", "eth0");
        Processes.run("ip", "-n", NETNS, "link", "set", "eth0", "up");
        Processes.run("ip", "-n", NETNS, "link", "set", "lo", "up");
        Files.createDirectories(NETNS_ETC);
        Files.writeString(NETNS_ETC.resolve("resolv.conf"), """
                search shop.svc.cluster.local svc.cluster.local cluster.local
                nameserver %s
                options ndots:5 timeout:1 attempts:2
                """.formatted(GATEWAY));

        upstream = new ProcessBuilder(ClusterDns.DNSMASQ.toString(), "--keep-in-foreground", "--bind-interfaces",
                "--listen-address=" + UPSTREAM, "--no-hosts", "--no-resolv", "--pid-file=" + dir.resolve("up.pid"),
                "--address=/example.test/192.0.2.7", "--address=/cluster.local/192.0.2.99")
                .redirectErrorStream(true).redirectOutput(dir.resolve("upstream.log").toFile()).start();
        Path resolvers = Files.writeString(dir.resolve("host-resolv.conf"), "nameserver " + UPSTREAM + "\n");
        dns = new ClusterDns(new ClusterDns.Settings(dir.resolve("dns"), GATEWAY, "cluster.local", resolvers,
                ClusterDns.DNSMASQ));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (dns != null) {
            dns.stop();
        }
        if (upstream != null) {
            upstream.destroy();
            upstream.waitFor();
        }
        quietly("ip", "netns", "del", NETNS); // the veth goes with it
        quietly("ip", "link", "del", BRIDGE);
        if (Files.isDirectory(NETNS_ETC)) {
            Files.deleteIfExists(NETNS_ETC.resolve("resolv.conf"));
            Files.delete(NETNS_ETC);
        }
        String links = quietly("ip", "-o", "link");
        assertFalse(links.contains(BRIDGE) || links.contains("bdnsit-h"), links);
        assertFalse(quietly("ip", "netns", "list").contains(NETNS));
    }

    @Test
    void aServiceResolvesByEveryNameOfThePodsSearchPathAndOtherNamesGoToTheHostsResolvers() {
        dns.ensureRunning();
        dns.publish(Map.of("shop/web", List.of("10.96.0.10"), "shop/db", List.of("10.88.251.20", "10.88.251.21")));

        for (String name : List.of("web", "web.shop", "web.shop.svc", "web.shop.svc.cluster.local")) {
            assertEquals(List.of("10.96.0.10"), lookUp(name), name);
        }
        assertEquals(List.of("10.88.251.20", "10.88.251.21"), lookUp("db").stream().sorted().toList(),
                "a headless Service: its ready pods' addresses");
        assertTrue(nslookup("web.shop.svc.cluster.local").contains("10.96.0.10"), "asked straight, busybox's way");
        assertEquals(List.of("192.0.2.7"), lookUp("www.example.test"), "forwarded to the host's resolvers");
        assertEquals(List.of(), lookUp("nothing.shop.svc.cluster.local"), "the cluster domain is never forwarded");
        assertEquals(List.of(), lookUp("nothing"));
    }

    @Test
    void aServicePublishedWhileItRunsResolvesWithinTwoSecondsAndARemovedOneStops() {
        dns.ensureRunning();
        dns.publish(Map.of("shop/web", List.of("10.96.0.10")));
        assertEquals(List.of(), lookUp("api.shop.svc.cluster.local"), "not there yet (and that answer not kept)");

        dns.publish(Map.of("shop/web", List.of("10.96.0.10"), "shop/api", List.of("10.96.0.11")));
        awaitAnswer("api.shop.svc.cluster.local", answer -> addresses(answer).equals(List.of("10.96.0.11")));

        dns.publish(Map.of("shop/api", List.of("10.96.0.12")));
        awaitAnswer("api.shop.svc.cluster.local", answer -> addresses(answer).equals(List.of("10.96.0.12")));
        awaitAnswer("web.shop.svc.cluster.local", answer -> answer.contains("NXDOMAIN"));
        assertEquals(List.of("10.96.0.12"), lookUp("api"));
    }

    @Test
    void theServerStartsBeforeTheBridgeHasTheGatewayAndAnswersOnceItHasIt() {
        Processes.run("ip", "addr", "del", GATEWAY + "/24", "dev", BRIDGE); // as before the first pod made it
        dns.ensureRunning();
        dns.publish(Map.of("shop/web", List.of("10.96.0.10")));
        Processes.run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        awaitAnswer("web.shop.svc.cluster.local", answer -> addresses(answer).equals(List.of("10.96.0.10")));
    }

    @Test
    void aRunningServerIsLeftAloneOutlivesItsStarterAndIsReplacedWhenTheSettingsChange() throws Exception {
        dns.ensureRunning();
        ProcessHandle first = dns.running().orElseThrow();
        assertTrue(first.parent().map(p -> p.pid() != ProcessHandle.current().pid()).orElse(true),
                "daemonized: not a child of the JVM that started it");
        dns.ensureRunning();
        assertEquals(first.pid(), dns.running().orElseThrow().pid());
        dns.publish(Map.of("shop/web", List.of("10.96.0.10")));

        Path otherResolvers = Files.writeString(dir.resolve("other-resolv.conf"), "nameserver " + UPSTREAM + "\n");
        ClusterDns changed = new ClusterDns(new ClusterDns.Settings(dir.resolve("dns"), GATEWAY, "cluster.local",
                otherResolvers, ClusterDns.DNSMASQ));
        changed.ensureRunning();
        ProcessHandle second = changed.running().orElseThrow();
        assertNotEquals(first.pid(), second.pid());
        assertFalse(commandLineOf(first.pid()).contains("dnsmasq"), "the old server ended");
        assertEquals(List.of("10.96.0.10"), lookUp("web"), "the new server reads the names already there");

        changed.stop();
        assertFalse(commandLineOf(second.pid()).contains("dnsmasq"));
        assertFalse(Files.exists(dir.resolve("dns/dnsmasq.pid")));
        assertFalse(Files.exists(dir.resolve("dns/hosts")));
        assertFalse(Processes.run("ss", "-lun").contains(GATEWAY + ":53"), "nothing listens on the gateway");
    }

    @Test
    void aServerThatCannotListenSaysWhy() {
        ClusterDns taken = new ClusterDns(new ClusterDns.Settings(dir.resolve("taken"), UPSTREAM, "cluster.local",
                dir.resolve("host-resolv.conf"), ClusterDns.DNSMASQ));
        try {
            BerthException e = assertThrows(BerthException.class, taken::ensureRunning, "the upstream holds port 53");
            assertTrue(e.getMessage().contains("did not start") && e.getMessage().contains("in use"), e.getMessage());
        } finally {
            taken.stop();
        }
    }

    /** The IPv4 addresses glibc finds for {@code name} in the namespace, through its resolv.conf; none: not found. */
    private static List<String> lookUp(String name) {
        String out = quietly("ip", "netns", "exec", NETNS, "getent", "ahostsv4", name);
        return out.lines().filter(l -> l.contains("STREAM")).map(l -> l.split("\\s+")[0]).toList();
    }

    private static String nslookup(String name) {
        return quietly("ip", "netns", "exec", NETNS, "busybox", "nslookup", "-type=a", "-timeout=1", name, GATEWAY);
    }

    /** The addresses in busybox nslookup's answer, the server's own left out. */
    private static List<String> addresses(String answer) {
        return answer.lines().filter(l -> l.startsWith("Address:") && !l.contains(GATEWAY))
                .map(l -> l.substring("Address:".length()).strip()).toList();
    }

    /** Asks until the answer is as expected, for at most the two seconds a name may take to change. */
    private static void awaitAnswer(String name, Predicate<String> expected) {
        long deadline = System.nanoTime() + NAME_DEADLINE.toNanos();
        String answer;
        do {
            answer = nslookup(name);
            if (expected.test(answer)) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " not as expected within " + NAME_DEADLINE + ":\n" + answer);
    }

    private static String commandLineOf(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs a command for its output, whatever its exit code (a name not found is one). */
    private static String quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
