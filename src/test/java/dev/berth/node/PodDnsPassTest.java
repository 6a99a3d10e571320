package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.net.dns.ClusterDnsConfig;
import dev.berth.net.dns.PodDns;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pass asks of the pods' DNS: the Services' names after every pass, and the server kept while pods run. */
class PodDnsPassTest {

    /** Remembers the last names published and counts the starts asked for. */
    private static final class RecordingDns implements PodDns {
        volatile Map<String, List<String>> published;
        final AtomicInteger ensured = new AtomicInteger();

        @Override
        public ClusterDnsConfig config() {
            return new ClusterDnsConfig(List.of("10.88.0.1"), ClusterDnsConfig.DEFAULT_DOMAIN);
        }

        @Override
        public void ensureRunning() {
            ensured.incrementAndGet();
        }

        @Override
        public void publish(Map<String, List<String>> ipsByService) {
            published = Map.copyOf(ipsByService);
        }

        @Override
        public void stopUnlessNeeded(BooleanSupplier needed) {}
    }

    private static final String SERVICE_AND_POD = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: main, image: busybox:1.35, command: [sleep, "3600"]}]
            """;

    @TempDir
    Path dir;

    private final RecordingDns dns = new RecordingDns();
    private FakeNode node;

    @BeforeEach
    void node() {
        node = new FakeNode(dir, dns);
    }

    @AfterEach
    void close() {
        node.reconciler.close();
    }

    @Test
    void aPassPublishesTheServicesNamesAndKeepsTheServerWhilePodsRun() {
        node.apply(SERVICE_AND_POD);
        node.until("the Service named", pods -> Map.of("shop/web", List.of("10.96.0.2")).equals(dns.published));
        node.until("the pod running", pods -> !pods.isEmpty());
        node.pass();
        assertTrue(dns.ensured.get() > 0, "a pass with a pod asks for the server");

        node.apply("");
        node.until("the pod removed", List::isEmpty);
        node.pass();
        assertEquals(Map.of(), dns.published, "a Service no longer applied has no name");
        int ensured = dns.ensured.get();
        node.pass();
        assertEquals(ensured, dns.ensured.get(), "a pass over a node without pods leaves the server alone");
    }
}
