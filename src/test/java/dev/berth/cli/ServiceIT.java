package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.net.PodIps;
import dev.berth.node.PodRuntime;
import dev.berth.node.PodSnapshot;
import dev.berth.runtime.OciRuntime;
import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deployment of two busybox httpd pods behind a NodePort Service, through {@code berth apply} on a real CNI network
 * and the host's real iptables: the apply waits for the Service's endpoints, the Service's IP balances over both
 * pods at their named port, the NodePort answers on 127.0.0.1, and pruning leaves none of berth's chains; pods reach
 * Services by name through the pods' DNS server. The network and the Service range are the test's own.
 */
class ServiceIT {

    private static final String BRIDGE = "berth-it202";
    private static final String SERVICE_CIDR = "10.96.202.0/24";
    private static final int NODE_PORT = 30998;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("iptables-save", "iptables-restore", "ip");
        Prerequisites.require(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (containernetworking-plugins)");
        Prerequisites.require(!Processes.run("iptables-save").contains("BERTH-"),
                "berth's chains are in the host's iptables already (a berth running here?)");
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) { // the bridge outlives pods, as the plugin leaves it
            Processes.run("ip", "link", "del", BRIDGE);
        }
    }

    private String config() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(conf.resolve("10-it.conflist"), """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.202.0/24"}]],
                            "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "%s"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
                ]}
                """.formatted(BRIDGE, BRIDGE, dir.resolve("ipam")));
        return "network: {cniConfDir: " + conf + ", name: " + BRIDGE + ", serviceCIDR: " + SERVICE_CIDR + "}\n";
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                      ports: [{name: http, containerPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{name: www, port: 80, targetPort: http, nodePort: %d}]
            """.formatted(NODE_PORT);

    @Test
    void aNodePortServiceBalancesOverItsPodsAndPruningLeavesNoRule() throws Exception {
        String routeLocalnet = Files.readString(ROUTE_LOCALNET).strip();
        try (NodeFixture node = new NodeFixture(dir, registry, config())) {
            node.commit("web.yaml", WEB);
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            CliRun status = Scenarios.inspect(node, "status", "-o", "json");
            assertTrue(status.out().contains("\"clusterIP\" : \"10.96.202.2\""), status.toString());
            assertTrue(status.out().contains("2 ready endpoints"), status.toString());

            Map<String, Integer> seen = new TreeMap<>();
            for (int i = 0; i < 24; i++) {
                seen.merge(page("http://10.96.202.2/"), 1, Integer::sum);
            }
            assertEquals(2, seen.size(), "both pods answer through the Service's IP: " + seen);
            assertTrue(seen.keySet().stream().allMatch(h -> h.startsWith("web-")), seen.toString());
            assertTrue(seen.containsKey(page("http://127.0.0.1:" + NODE_PORT + "/")));
        }
        assertFalse(Processes.run("iptables-save").contains("BERTH-"), "berth's chains left after the prune");
        // berth turned it on for the NodePort (unless it was on), and the prune's berth turned it off again
        assertEquals(routeLocalnet, Files.readString(ROUTE_LOCALNET).strip());
    }

    private static final String PROBED = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
                - name: main
                  image: busybox:1.35
                  command: [sh, -c, "mkdir -p /www /tmp && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                  ports: [{name: http, containerPort: 8080}]
                  readinessProbe:
                    exec: {command: [sh, -c, "read x < /tmp/ready && test $x = yes"]}  # shell builtins alone
                    periodSeconds: 1
                    failureThreshold: 1
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            """;

    /** The time printed runs from the container's change to the rules, so it holds up to one probe period (1 s). */
    @Test
    void inWatchTheRulesFollowAProbesReadiness() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, config())) {
            node.commit("web.yaml", PROBED);
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                watch.awaitReady(Duration.ofSeconds(60));
                NodeFixture.await("the Service rejecting: no ready endpoint", Duration.ofSeconds(60),
                        () -> Processes.run("iptables-save", "-t", "filter").contains("default/web has no endpoints"));
                PodSnapshot pod = node.pod("web");
                String container = PodRuntime.containerId(pod.id(), "main");
                String to = PodIps.read(node.root.resolve("pods").resolve(pod.id())).orElseThrow().primary()
                        .orElseThrow() + ":8080";

                long start = System.nanoTime();
                assertEquals(0, node.exec(container, "sh", "-c", "echo yes > /tmp/ready").exitCode());
                NodeFixture.await("the pod an endpoint", Duration.ofSeconds(10),
                        () -> Processes.run("iptables-save", "-t", "nat").contains("--to-destination " + to));
                long ready = System.nanoTime() - start;
                assertEquals(page("http://10.96.202.2/"), pod.record().name());

                start = System.nanoTime();
                assertEquals(0, node.exec(container, "sh", "-c", "echo no > /tmp/ready").exitCode());
                NodeFixture.await("the pod no endpoint", Duration.ofSeconds(10),
                        () -> !Processes.run("iptables-save", "-t", "nat").contains("--to-destination " + to));
                long unready = System.nanoTime() - start;
                System.out.printf("readiness to rules, probe period included: ready %d ms, not ready %d ms%n",
                        ready / 1_000_000, unready / 1_000_000);
                // the daemon's own times: from the pass a probe's verdict woke to the rules in place
                watch.log().lines().filter(l -> l.contains("node pass: " + container) || l.contains("Service rules in"))
                        .forEach(l -> System.out.println("watch: " + l));
            }
        }
        assertFalse(Processes.run("iptables-save").contains("BERTH-"), "berth's chains left after the prune");
    }

    private static final String CLIENT = """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: main, image: busybox:1.35, command: [sleep, "3600"]}]
            """;

    private static final String LATE = """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: late}
            spec:
              selector: {app: web}
              ports: [{port: 8000, targetPort: 8080}]
            """;

    /**
     * From a pod, a Service answers by each name of the pod's search path at its port (80), which is not the pods'
     * (8080); a Service applied after the pod started is reached by name too; a removed one no longer resolves.
     */
    @Test
    void podsReachServicesByNameAlsoOnesAppliedAfterThem() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, config())) {
            node.commit("web.yaml", WEB + CLIENT);
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            String client = PodRuntime.containerId(node.pod("client").id(), "main");
            for (String name : List.of("web", "web.default", "web.default.svc", "web.default.svc.cluster.local")) {
                OciRuntime.ExecResult got = node.exec(client, "wget", "-q", "-O", "-", "http://" + name + "/");
                assertEquals(0, got.exitCode(), name + ": " + got);
                assertTrue(got.stdout().strip().startsWith("web-"), name + " answered " + got.stdout());
            }

            node.commit("web.yaml", WEB + CLIENT + LATE);
            applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            long start = System.nanoTime();
            NodeFixture.await("the new Service by name", Duration.ofSeconds(2), () -> node.exec(client, "wget", "-q",
                    "-O", "-", "http://late:8000/").exitCode() == 0);
            System.out.printf("a Service applied after the pod: reached by name %d ms after the apply%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(client, PodRuntime.containerId(node.pod("client").id(), "main"), "the client kept running");

            node.commit("web.yaml", WEB + CLIENT);
            applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            OciRuntime.ExecResult gone = node.exec(client, "nslookup", "late.default.svc.cluster.local");
            assertTrue(gone.exitCode() != 0, "a removed Service's name: " + gone);
        }
    }

    private static String page(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body().strip();
    }
}
