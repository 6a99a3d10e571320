package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.net.cni.CniNetwork;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.NamespaceOptions;
import dev.berth.runtime.PodNamespaces;
import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on a real CNI network (Debian's plugins: bridge, host-local, portmap, firewall, tuning; real iptables): the
 * host reaches a busybox httpd at the pod's IP and at 127.0.0.1:hostPort, and a removal, also one after berth was
 * SIGKILLed in the middle of the network's setup, one whose cached result is lost, and 50 attach/detach cycles leave
 * no veth, lease, cached result or iptables rule. The network
 * is the test's own (bridge and /24 of its own, leases in its directory) so that it meets no other test's.
 */
class PodNetworkIT {

    private static final String BRIDGE = "berth-it201";
    private static final String SUBNET = "10.88.201.0/24";
    private static final String NETWORK = "berth-it201";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("iptables-save", "ip");
        Prerequisites.require(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (containernetworking-plugins)");
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        run("ip", "link", "del", BRIDGE); // the bridge outlives pods, as the plugin leaves it; fails when never made
    }

    /**
     * The test's network, as a user brings their own: the stock plugins and, first in the bin directories, a directory
     * of the test's own for {@code extraPlugin} (null: none).
     */
    private String networkConfig(String extraPlugin) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(conf.resolve("10-it.conflist"), """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}],
                            "dataDir": "%s"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true},
                  {"type": "firewall"},
                  {"type": "tuning"}%s
                ]}
                """.formatted(NETWORK, BRIDGE, SUBNET, dir.resolve("ipam"),
                extraPlugin == null ? "" : ",\n{\"type\": \"" + extraPlugin + "\"}"));
        return "network: {cniConfDir: " + conf + ", cniBinDirs: [" + dir.resolve("bin") + ", /usr/lib/cni], name: "
                + NETWORK + "}\n";
    }

    private static String httpd(int hostPort) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "mkdir -p /www && echo hello from the pod > /www/index.html && exec httpd -f -p 8080 -h /www"]
                      ports: [{containerPort: 8080, hostPort: %d}]
                """.formatted(hostPort);
    }

    @Test
    void theHostReachesAPodAtItsIpAndAtItsHostPortOnLoopbackAndItsRemovalLeavesNothing() throws Exception {
        int hostPort = freePort();
        try (NodeFixture node = new NodeFixture(dir, registry, networkConfig(null))) {
            node.commit("web.yaml", httpd(hostPort));
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            PodSnapshot web = node.pod("web");
            assertEquals(PodPhase.RUNNING, web.phase(), web.toString());
            String ip = PodIps.read(node.root.resolve("pods").resolve(web.id())).orElseThrow().primary().orElseThrow();
            assertTrue(ip.startsWith("10.88.201."), ip);
            assertEquals(ip, web.record().pod().getStatus().getPodIP());

            assertEquals("hello from the pod\n", awaitPage("http://" + ip + ":8080/"));
            assertEquals("hello from the pod\n", awaitPage("http://127.0.0.1:" + hostPort + "/"));
            assertEquals(List.of(web.id() + ".json"), NodeFixture.cniResults(node.runRoot));
            assertEquals(List.of(ip), leases());
            assertTrue(iptablesLines(web.id(), ip).size() >= 3, "masquerade and host port rules:\n" + run("iptables-save"));
            CliRun status = Scenarios.inspect(node, "status", "-o", "json");
            assertTrue(status.out().contains("\"ip\" : \"" + ip + "\""), status.toString());

            prune(node);
            assertNothingLeft(node, web.id(), ip);
        }
    }

    /**
     * SIGKILL once bridge, portmap, firewall and tuning have run and a last plugin of the test's own is still at work:
     * the next apply removes the pod and, from the cached config, its veth, lease and rules.
     */
    @Test
    void aNetworkHalfMadeWhenBerthWasKilledIsUndoneByTheNextApply() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path reached = dir.resolve("stall-reached");
        Path release = dir.resolve("stall-release");
        Path stall = bin.resolve("stall");
        // ADD waits (at most 30 s) to be let go; DEL and CHECK return at once, as a chained plugin with nothing to do
        Files.writeString(stall, """
                #!/bin/sh
                cat >/dev/null
                if [ "$CNI_COMMAND" = ADD ]; then
                  touch %s
                  for i in $(seq 300); do [ -e %s ] && break; sleep 0.1; done
                fi
                """.formatted(reached, release));
        Files.setPosixFilePermissions(stall, PosixFilePermissions.fromString("rwxr-xr-x"));
        int hostPort = freePort();
        try (NodeFixture node = new NodeFixture(dir, registry, networkConfig("stall"))) {
            node.commit("web.yaml", httpd(hostPort));
            Files.createDirectories(node.runRoot.resolve("bundles")); // the killed apply gets no further than the network
            Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
            assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", jar.toString()));
            command.addAll(List.of("apply", "--repo", node.repo.dir().toString(), "--config", node.config.toString(),
                    "--root", node.root.toString(), "--run-root", node.runRoot.toString(), "--timeout", "2m"));
            Process berth = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("killed-apply.log").toFile()).start();
            try {
                NodeFixture.await("the last plugin's ADD", Duration.ofSeconds(60), () -> Files.exists(reached));
            } finally {
                berth.destroyForcibly().waitFor(); // SIGKILL
                Files.createFile(release);
            }
            String id = node.pod("web").id();
            String ip = leases().get(0);
            assertTrue(!iptablesLines(id, ip).isEmpty(), "the rules of the half-made network:\n" + run("iptables-save"));

            prune(node);
            assertNothingLeft(node, id, ip);
        }
    }

    /**
     * 50 attach/detach cycles of the network alone (a namespace of the test's own, a host port each time), as the
     * issue's leak check asks: no veth, lease, cached result or rule remains, and the addresses are handed out again.
     */
    @Test
    void fiftyCyclesLeaveNothingBehind() throws Exception {
        networkConfig(null);
        CniNetwork network = new CniNetwork(new CniNetwork.Settings(dir.resolve("net.d"), List.of(Path.of("/usr/lib/cni")),
                NETWORK), dir.resolve("results"), CniNetwork.DEADLINE);
        String ns = "berth-it-cycles-" + ProcessHandle.current().pid();
        assertEquals("", run("ip", "netns", "add", ns).strip());
        try {
            Path netns = Path.of("/run/netns", ns);
            for (int i = 0; i < 50; i++) {
                String id = "default.cycle.c" + i;
                PodIps ips = network.attach(new PodAttachment(id, "default", "cycle", netns,
                        List.of(new PodAttachment.HostPort(freePort(), 8080, "tcp", null))));
                assertTrue(ips.primary().orElseThrow().startsWith("10.88.201."), ips.toString());
                assertEquals(1, run("ip", "-o", "link", "show", "master", BRIDGE).lines().count(), "one veth");
                network.detach(id);
                assertEquals(List.of(), iptablesLines(id, ips.primary().get()), "rules of cycle " + i);
            }
        } finally {
            run("ip", "netns", "del", ns);
        }
        assertEquals("", run("ip", "-o", "link", "show", "master", BRIDGE).strip(), "veths left on " + BRIDGE);
        assertEquals(List.of(), leases(), "leases left");
        assertEquals(List.of(), network.attached(), "cached results left");
    }

    /**
     * A network whose cached result is lost (the run root's {@code cni/} wiped, say) while berth still pins its pod's
     * namespace: the network names the pod by its host-local lease, and the DEL made from the lease (what a node pass
     * calls for a leftover network) leaves no lease, veth or iptables rule of the pod.
     */
    @Test
    void aNetworkWhoseCachedResultIsLostIsFoundByItsLeaseAndRemoved() throws Exception {
        networkConfig(null);
        Path results = dir.resolve("results");
        PodNamespaces namespaces = new PodNamespaces(dir.resolve("netns"), new Mounter());
        CniNetwork network = new CniNetwork(new CniNetwork.Settings(dir.resolve("net.d"), List.of(Path.of("/usr/lib/cni")),
                NETWORK), results, dir.resolve("netns"), CniNetwork.DEADLINE);
        String id = "default.lost.0a1b2c";
        try {
            Path netns = namespaces.pin(id, NamespaceOptions.DEFAULT).network();
            String ip = network.attach(new PodAttachment(id, "default", "lost", netns,
                    List.of(new PodAttachment.HostPort(freePort(), 8080, "tcp", null)))).primary().orElseThrow();
            assertEquals(List.of(ip), leases());
            assertTrue(iptablesLines(id, ip).size() >= 3, "masquerade and host port rules:\n" + run("iptables-save"));
            Files.delete(results.resolve(id + ".json"));

            assertEquals(List.of(id), network.attached(), "found by its lease");
            network.detach(id);

            assertEquals("", run("ip", "-o", "link", "show", "master", BRIDGE).strip(), "veths left on " + BRIDGE);
            assertEquals(List.of(), leases(), "leases left");
            assertEquals(List.of(), iptablesLines(id, ip), "iptables rules left");
            assertEquals(List.of(), network.attached(), "cached results or leases left");
        } finally {
            network.detach(id); // after a failure above, what it can; no error when nothing is left
            namespaces.release(id);
        }
    }

    private static void prune(NodeFixture node) throws IOException {
        node.commit();
        CliRun pruned = node.apply("--allow-empty");
        assertEquals(0, pruned.exitCode(), pruned.toString());
    }

    private void assertNothingLeft(NodeFixture node, String podId, String ip) throws Exception {
        assertEquals(List.of(), node.pods(), "pods left");
        assertEquals("", run("ip", "-o", "link", "show", "master", BRIDGE).strip(), "veths left on " + BRIDGE);
        assertEquals(List.of(), leases(), "leases left");
        assertEquals(List.of(), NodeFixture.cniResults(node.runRoot), "cached results left");
        assertEquals(List.of(), iptablesLines(podId, ip), "iptables rules left");
    }

    /** host-local's lease files: one per address, named by it (beside its lock and last reserved address). */
    private List<String> leases() throws IOException {
        return names(dir.resolve("ipam").resolve(NETWORK)).stream().filter(n -> n.matches("[0-9.]+")).toList();
    }

    private static List<String> iptablesLines(String podId, String ip) throws Exception {
        return run("iptables-save").lines().filter(l -> l.contains(podId) || l.contains(ip + "/") || l.contains(ip + ":")
                || l.contains(ip + " ")).toList();
    }

    private static List<String> names(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** The page's body once it answers; fails after 20 s. */
    private static String awaitPage(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no page from " + url + " within 20 s; last: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }
}
