package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodEvents;
import dev.berth.node.PodRuntime;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * httpGet and tcpSocket probes of real pods under {@code berth watch}: busybox httpd answers in the pod's own network
 * namespace, where the probes connect (to the pod IP, or 127.0.0.1 without one); a hostNetwork pod's in the host's.
 */
class NetworkProbesIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** httpd serving /www on 8080, its port named http; {@code setup} runs first. */
    private static String web(String name, String setup, String probe) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "mkdir -p /www; %s exec httpd -f -p 8080 -h /www"]
                      ports: [{name: http, containerPort: 8080}]
                      %s
                """.formatted(name, setup, probe);
    }

    @Test
    void httpProbesGateReadinessAndRestartTheContainer() throws Exception {
        int hostPort = freePort();
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("gated.yaml", web("gated", "",
                            "readinessProbe: {httpGet: {path: /ready.txt, port: http}, periodSeconds: 1}"),
                    "alive.yaml", web("alive", "echo ok > /www/healthz;",
                            "livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1, failureThreshold: 2}"),
                    "closed.yaml", web("closed", "",
                            "readinessProbe: {tcpSocket: {port: 8081}, periodSeconds: 1}"),
                    "host.yaml", """
                            apiVersion: v1
                            kind: Pod
                            metadata: {name: host}
                            spec:
                              hostNetwork: true
                              terminationGracePeriodSeconds: 1
                              containers:
                                - name: main
                                  image: busybox:1.35
                                  command: [sh, -c, "mkdir -p /www; exec httpd -f -p 127.0.0.1:%d -h /www"]
                                  readinessProbe: {tcpSocket: {port: %d}, periodSeconds: 1}
                            """.formatted(hostPort, hostPort));
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                watch.awaitReady(PATIENCE);
                await("all running", watch, () -> List.of("gated", "alive", "closed", "host").stream()
                        .allMatch(name -> running(node, name)));

                // 404 until the file exists, then ready
                await("gated probed and failing", watch, () -> !events(node, "gated", "Unhealthy").isEmpty());
                assertFalse(node.pod("gated").ready());
                assertEquals("Readiness probe failed: HTTP probe failed with statuscode: 404",
                        events(node, "gated", "Unhealthy").get(0).message());
                String gated = PodRuntime.containerId(node.pod("gated").id(), "main");
                assertEquals(0, node.exec(gated, "touch", "/www/ready.txt").exitCode());
                await("gated ready", watch, () -> node.pod("gated").ready());

                // a TCP probe of a port nothing listens on keeps its pod unready, with Go's dial error
                await("closed probed", watch, () -> !events(node, "closed", "Unhealthy").isEmpty());
                String refused = events(node, "closed", "Unhealthy").get(0).message();
                System.out.printf("NetworkProbesIT: %s%n", refused); // the pod IP with a pod network, else 127.0.0.1
                assertTrue(refused.matches("Readiness probe failed: dial tcp [0-9.]+:8081: connect: connection refused"),
                        refused);
                assertFalse(node.pod("closed").ready());

                // the hostNetwork pod is probed in the host's namespace
                await("host ready", watch, () -> node.pod("host").ready());

                // the liveness probe passes until its file goes: then 404 twice and a restart
                await("alive ready", watch, () -> node.pod("alive").ready());
                assertEquals(0, node.pod("alive").restarts());
                String alive = PodRuntime.containerId(node.pod("alive").id(), "main");
                // the test image has no rm: a link to nowhere is a missing file to httpd
                assertEquals(0, node.exec(alive, "ln", "-sf", "/gone", "/www/healthz").exitCode());
                await("alive restarted", watch, () -> node.pod("alive").restarts() == 1 && running(node, "alive"));
                assertTrue(events(node, "alive", "Killing").stream().anyMatch(e -> e.message().contains(
                        "Liveness probe failed: HTTP probe failed with statuscode: 404")), events(node, "alive", "Killing")
                        .toString());
                await("alive ready again", watch, () -> node.pod("alive").ready());
                assertEquals(1, node.pod("alive").restarts(), "the restarted container passes its probe");
                watch.terminate();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<PodEvents.Event> events(NodeFixture node, String pod, String reason) {
        return Scenarios.events(node, node.pod(pod), reason);
    }

    private static boolean running(NodeFixture node, String name) {
        List<PodSnapshot> pods = node.pods(p -> p.record().name().equals(name));
        return pods.size() == 1 && pods.get(0).phase() == PodPhase.RUNNING && pods.get(0).running("main");
    }

    private static void await(String what, WatchProcess watch, SupervisionIT.Check check) throws Exception {
        SupervisionIT.await(what, watch, check);
    }
}
