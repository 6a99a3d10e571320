package dev.berth.net.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Services' rules in the host's real iptables, with two "pods" of the test's own: network namespaces on a bridge
 * of their own, each running busybox httpd on port 8080, behind a Service on port 80 and a NodePort.
 */
class ServiceProxyIT {

    private static final String BRIDGE = "berth-svc-it";
    private static final String GATEWAY = "10.88.250.1";
    private static final String VIP = "10.96.250.10";
    private static final int NODE_PORT = 30999;
    private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");
    private static final int CONNECTIONS = 24;

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private String routeLocalnet;
    private IptablesProxy proxy;

    private record Pod(String name, String ip) {
        ServiceEndpoints.Endpoint endpoint() {
            return new ServiceEndpoints.Endpoint(name, ip, 8080);
        }
    }

    private final Pod a = new Pod("a", "10.88.250.2");
    private final Pod b = new Pod("b", "10.88.250.3");

    @BeforeEach
    void network() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("ip", "busybox", "iptables-restore", "iptables-save");
        Prerequisites.require(!Processes.run("iptables-save").contains("BERTH-"),
                "berth's chains are in the host's iptables already (a berth running here?)");
        routeLocalnet = Files.readString(ROUTE_LOCALNET).strip();
        proxy = new IptablesProxy(dir.resolve("run"));
        Processes.run("ip", "link", "add", BRIDGE, "type", "bridge");
        Processes.run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        Processes.run("ip", "link", "set", BRIDGE, "up");
        for (Pod pod : List.of(a, b)) {
            String netns = "berth-svc-it-" + pod.name();
            String veth = "bsvcit-" + pod.name();
            Processes.run("ip", "netns", "add", netns);
            namespaces.add(netns);
            Processes.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
            Processes.run("ip", "link", "set", veth, "master", BRIDGE, "up");
            Processes.run("ip", "-n", netns, "addr", "add", pod.ip() + "/24", "dev", "eth0");
            Processes.run("ip", "-n", netns, "link", "set", "eth0", "up");
            Processes.run("ip", "-n", netns, "link", "set", "lo", "up");
            Processes.run("ip", "-n", netns, "route", "add", "default", "via", GATEWAY);
            Path www = Files.createDirectories(dir.resolve(pod.name()));
            Files.writeString(www.resolve("index.html"), "backend " + pod.name() + "\n");
            servers.add(new ProcessBuilder("ip", "netns", "exec", netns, "busybox", "httpd", "-f", "-p", "8080",
                    "-h", www.toString()).redirectErrorStream(true).redirectOutput(dir.resolve(pod.name() + ".log")
                    .toFile()).start());
        }
        for (Pod pod : List.of(a, b)) { // the server listens once it answers on its own address
            awaitAnswer(pod.ip(), 8080);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            new IptablesProxy(dir.resolve("run")).sync(List.of()); // a fresh proxy reads the tables: whatever a failed test left goes
        } finally {
            servers.forEach(Process::destroyForcibly);
            for (String netns : namespaces) {
                String veth = "bsvcit-" + netns.substring(netns.lastIndexOf('-') + 1);
                if (Files.exists(Path.of("/sys/class/net", veth))) { // at once: a namespace's own go some time after
                    Processes.run("ip", "link", "delete", veth);
                }
                Processes.run("ip", "netns", "delete", netns);
            }
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run("ip", "link", "delete", BRIDGE);
            }
            if (routeLocalnet != null) {
                Files.writeString(ROUTE_LOCALNET, routeLocalnet);
            }
        }
        String links = Processes.run("ip", "-o", "link");
        assertFalse(links.contains(BRIDGE) || links.contains("bsvcit-"), links);
        assertFalse(Processes.run("ip", "netns", "list").contains("berth-svc-it"));
        assertFalse(Processes.run("iptables-save").contains("BERTH-"));
    }

    private static ServiceEndpoints web(Pod... pods) {
        return new ServiceEndpoints("shop", "web", VIP, List.of(new ServiceEndpoints.Port("http", "TCP", 80, NODE_PORT,
                java.util.Arrays.stream(pods).map(Pod::endpoint).toList())));
    }

    @Test
    void theServiceIpBalancesOverReadyBackendsFollowsTheirReadinessAndTheNodePortAnswersOnLocalhost() throws Exception {
        proxy.sync(List.of(web(a, b)));
        Map<String, Integer> seen = count(VIP, 80);
        assertEquals(CONNECTIONS, seen.values().stream().mapToInt(Integer::intValue).sum(), seen.toString());
        assertTrue(seen.getOrDefault("backend a", 0) > 0 && seen.getOrDefault("backend b", 0) > 0,
                "both backends reached over " + CONNECTIONS + " connections: " + seen);

        proxy.sync(List.of(web(b))); // a is no longer ready
        assertEquals(Map.of("backend b", CONNECTIONS), count(VIP, 80));
        assertEquals(Map.of("backend b", CONNECTIONS), count("127.0.0.1", NODE_PORT));
        assertEquals("1", Files.readString(ROUTE_LOCALNET).strip(), "NodePorts on 127.0.0.1 need route_localnet");

        proxy.sync(List.of(web())); // none ready: refused at once, not left to time out
        assertThrows(ConnectException.class, () -> get(VIP, 80));
        assertThrows(ConnectException.class, () -> get("127.0.0.1", NODE_PORT));
        assertTrue(Processes.run("iptables-save", "-t", "filter").contains("shop/web:http has no endpoints"));

        proxy.sync(List.of(web(a)));
        assertEquals(Map.of("backend a", CONNECTIONS), count(VIP, 80));
        String nat = Processes.run("iptables-save", "-t", "nat");
        assertEquals(1, nat.lines().filter(l -> l.startsWith(":BERTH-SEP-")).count(), "b's chain went: " + nat);

        proxy.sync(List.of());
        // no request to the IP now: without berth's rules it leads off the host
        assertFalse(Processes.run("iptables-save").contains("BERTH-"), "no Service left, no chain or jump left");
        assertEquals(routeLocalnet, Files.readString(ROUTE_LOCALNET).strip(), "route_localnet as it was");
    }

    /** Which backend answered each of {@link #CONNECTIONS} new connections. */
    private static Map<String, Integer> count(String host, int port) throws IOException {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            seen.merge(get(host, port), 1, Integer::sum);
        }
        return seen;
    }

    /** The body of {@code GET /}, over a new connection. */
    private static String get(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
        }
    }

    private static void awaitAnswer(String host, int port) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                get(host, port);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }
}
