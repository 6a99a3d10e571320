package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.net.PodIps;
import dev.berth.net.service.RecordingProxy;
import dev.berth.net.service.ServiceEndpoints;
import dev.berth.net.service.ServiceIps;
import dev.berth.node.workload.Health;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Services' step of a pass over a fake node: endpoints from ready pods, rules through the proxy, health. */
class ServicesTest {

    @TempDir
    Path dir;

    private final RecordingProxy proxy = new RecordingProxy();
    private FakeNode node;

    @BeforeEach
    void node() {
        node = new FakeNode(dir, proxy);
    }

    @AfterEach
    void close() {
        node.reconciler.close();
    }

    private static String pod(String name, String app, String readiness) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: {app: %s}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sleep, "3600"]
                      ports: [{name: http, containerPort: 8080}]
                %s
                ---
                """.formatted(name, app, readiness.indent(6).stripTrailing());
    }

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}, {name: raw, port: 81, targetPort: 9000}]
            ---
            """;

    private static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n";

    private WorkloadStatus web() {
        return node.status("Service", "shop", "web");
    }

    private ServiceEndpoints synced(String name) {
        return proxy.last().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private Set<String> endpointIps(int port) {
        return synced("web").ports().get(port).endpoints().stream().map(ServiceEndpoints.Endpoint::ip)
                .collect(Collectors.toSet());
    }

    private String ipOf(String pod) {
        return PodIps.read(node.runtime.podDir(node.pod(pod).id())).orElseThrow().primary().orElseThrow();
    }

    @Test
    void readyPodsMatchingTheSelectorAreTheEndpointsAtTheirNamedPortAndTheServiceIsHealthy() {
        node.apply(NAMESPACE + SERVICE + pod("web-1", "web", "") + pod("web-2", "web", "") + pod("db", "db", ""));
        node.until("two ready endpoints", pods -> String.valueOf(web().message()).startsWith("2 ready endpoints: "));
        assertEquals(Health.HEALTHY, web().health());
        ServiceEndpoints web = synced("web");
        assertEquals("10.96.0.2", web.clusterIP());
        assertEquals(Set.of(ipOf("web-1"), ipOf("web-2")), endpointIps(0));
        assertTrue(web.ports().get(0).endpoints().stream().allMatch(e -> e.port() == 8080), "named port: 8080");
        assertTrue(web.ports().get(1).endpoints().stream().allMatch(e -> e.port() == 9000), "numbered targetPort");
        assertEquals(List.of(30000, 30001), web.ports().stream().map(ServiceEndpoints.Port::nodePort).toList());
        assertEquals(Map.of("shop/web", List.of("10.96.0.2")), node.reconciler.serviceNames());
        assertEquals(Map.of("shop/web", "10.96.0.2"), ServiceIps.read(node.layout));
        List<String> endpoints = java.util.stream.Stream.of(ipOf("web-1"), ipOf("web-2"))
                .flatMap(ip -> java.util.stream.Stream.of(ip + ":8080", ip + ":9000")).sorted().toList();
        assertEquals("2 ready endpoints: " + String.join(", ", endpoints.subList(0, 3)) + " + 1 more", web().message(),
                "as kubectl get endpoints lists them");
    }

    @Test
    void aSelectorMatchingNothingAndPodsNotReadyLeaveTheServiceProgressingWithWhy() {
        node.apply(NAMESPACE + SERVICE);
        node.until("assessed", pods -> WorkloadStatus.read(node.layout, key()).isPresent());
        assertEquals(Health.PROGRESSING, web().health());
        assertEquals("selector matches no pod", web().message());

        node.runtime.answerExec("ready?", 1);
        node.apply(NAMESPACE + SERVICE + pod("web-1", "web",
                "readinessProbe: {exec: {command: [\"ready?\"]}, periodSeconds: 1}"));
        node.until("probed, not ready", pods -> !node.runtime.execs.isEmpty()
                && "no ready endpoints".equals(web().message()));
        assertEquals(Health.PROGRESSING, web().health());
        assertTrue(synced("web").ports().get(0).endpoints().isEmpty());

        node.runtime.answerExec("ready?", 0);
        node.until("ready: an endpoint", pods -> String.valueOf(web().message()).startsWith("1 ready endpoints: "));
        assertEquals(Set.of(ipOf("web-1")), endpointIps(0));
    }

    @Test
    void aPodBeingDeletedLeavesTheEndpointsBeforeItsContainersAreStopped() {
        node.apply(NAMESPACE + SERVICE + pod("web-1", "web", "") + pod("web-2", "web", ""));
        node.until("two ready endpoints", pods -> String.valueOf(web().message()).startsWith("2 ready endpoints: "));
        PodSnapshot going = node.pod("web-2");
        String goingIp = ipOf("web-2");
        String container = PodRuntime.containerId(going.id(), "main");
        List<Boolean> runningWhenWithdrawn = new CopyOnWriteArrayList<>();
        proxy.onSync(services -> {
            boolean listed = services.stream().flatMap(s -> s.ports().stream()).flatMap(p -> p.endpoints().stream())
                    .anyMatch(e -> e.ip().equals(goingIp));
            if (!listed && runningWhenWithdrawn.isEmpty()) {
                runningWhenWithdrawn.add(node.runtime.running(container));
            }
        });
        node.apply(NAMESPACE + SERVICE + pod("web-1", "web", ""));
        node.until("web-2 gone", pods -> !node.has("web-2"));
        assertEquals(List.of(true), runningWhenWithdrawn, "withdrawn while its container still ran");
        assertTrue(web().message().startsWith("1 ready endpoints: "), web().message());
    }

    @Test
    void aPrunedServiceGivesItsAddressBackAndNoServiceLeftSyncsNone() {
        node.apply(NAMESPACE + SERVICE);
        node.until("assessed", pods -> !proxy.last().isEmpty());
        node.apply(NAMESPACE);
        node.pass();
        assertEquals(List.of(), proxy.last());
        assertEquals(Map.of(), ServiceIps.read(node.layout));
    }

    @Test
    void aStateRootThatNeverHadAServiceLeavesTheHostsRulesAlone() {
        node.apply(NAMESPACE + pod("web-1", "web", ""));
        node.until("running", pods -> pods.size() == 1 && pods.get(0).ready());
        assertEquals(List.of(), proxy.syncs, "other berths' rules on this host are not this one's to remove");
    }

    @Test
    void anAddressThatCannotBeHadIsTheServicesErrorNamingTheFileAndField() {
        node.apply(NAMESPACE + SERVICE.replace("type: NodePort", "type: NodePort\n  clusterIP: 10.1.2.3"));
        node.pass();
        assertEquals(Health.DEGRADED, web().health());
        assertEquals("all.yaml:10:3: spec.clusterIP: 10.1.2.3 is not in the Service range 10.96.0.0/16"
                + " (network.serviceCIDR)", web().lastError());
        assertFalse(proxy.last().stream().anyMatch(s -> s.name().equals("web")));
    }

    @Test
    void aHeadlessServiceNamesItsReadyPods() {
        node.apply(NAMESPACE + SERVICE.replace("type: NodePort", "clusterIP: None") + pod("web-1", "web", ""));
        node.until("one ready endpoint", pods -> String.valueOf(web().message()).startsWith("1 ready endpoints: "));
        assertEquals(Map.of("shop/web", List.of(ipOf("web-1"))), node.reconciler.serviceNames());
        assertNull(ServiceIps.read(node.layout).get("shop/web"));
    }

    @Test
    void aHostNetworkPodServesAtTheHostsAddress() {
        String host = NodeFacts.primaryAddress().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(host != null, "this machine has no IPv4 address but loopback");
        node.apply(NAMESPACE + SERVICE + pod("web-1", "web", "").replace("spec:\n", "spec:\n  hostNetwork: true\n"));
        node.until("one ready endpoint", pods -> String.valueOf(web().message()).startsWith("1 ready endpoints: "));
        assertEquals(Set.of(host), endpointIps(0));
    }

    private static dev.berth.core.ResourceKey key() {
        return new dev.berth.core.ResourceKey("Service", "shop", "web");
    }
}
