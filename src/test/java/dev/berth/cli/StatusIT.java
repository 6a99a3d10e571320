package dev.berth.cli;

import static dev.berth.cli.Scenarios.events;
import static dev.berth.cli.Scenarios.inspect;
import static dev.berth.cli.Scenarios.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodEvents;
import dev.berth.node.PodSnapshot;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees right after a plain {@code berth apply}: status and describe on a real node. */
class StatusIT {

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

    static final String CONFIG = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {mode: fast}
            """;

    static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            """;

    static final String WORKER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: worker, namespace: shop}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
                - {name: main, image: "busybox:1.35", command: [sleep, "3600"]}
                - {name: sidecar, image: "busybox:1.36", command: [sleep, "3600"]}
            """;

    @Test
    void afterAnApplyStatusShowsEveryObjectHealthyAndDescribeShowsScheduledAndStarted() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("settings.yaml", CONFIG, "ns.yaml", NAMESPACE, "worker.yaml", WORKER,
                    "web.yaml", ApplyIT.deployment("web", 2, "busybox:1.35"));
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());

            Map<String, Object> status = status(node);
            assertEquals("Synced", status.get("result"), status.toString());
            assertEquals("Synced", status.get("sync"), status.toString());
            assertEquals(List.of(), status.get("outOfSync"));
            List<Map<String, Object>> objects = Scenarios.list(status, "objects");
            assertEquals(List.of("ConfigMap/settings", "Deployment/web", "Namespace/shop", "Pod/worker"),
                    objects.stream().map(o -> o.get("kind") + "/" + o.get("name")).sorted().toList());
            for (Map<String, Object> o : objects) {
                assertEquals("Healthy", o.get("health"), o.toString());
                assertEquals(null, o.get("lastError"), o.toString());
                assertEquals(status.get("revision"), o.get("revision"), o.toString());
            }
            assertEquals("2/2 ready", Scenarios.statusObject(status, "Deployment", "web").get("message"));
            List<Map<String, Object>> pods = Scenarios.list(status, "pods");
            assertEquals(3, pods.size(), pods.toString());
            for (Map<String, Object> p : pods) {
                assertEquals("Running", p.get("status"), p.toString());
                assertEquals(true, p.get("ready"), p.toString());
                assertEquals(p.get("containers"), p.get("readyContainers"), p.toString());
                assertEquals(0, p.get("restarts"), p.toString());
            }
            Map<String, Object> worker = Scenarios.statusPod(status, "worker");
            assertEquals("shop", worker.get("namespace"));
            assertEquals(2, worker.get("containers"));
            assertEquals(Map.of("kind", "Pod", "namespace", "shop", "name", "worker"), worker.get("owner"));

            CliRun described = inspect(node, "describe", "pod", "-n", "shop", "worker");
            assertEquals(0, described.exitCode(), described.toString());
            String out = described.out();
            assertTrue(out.matches("(?s)Name:\\s+worker\nNamespace:\\s+shop\n.*"), out);
            assertTrue(out.matches("(?s).*\nStatus:\\s+Running\n.*"), out);
            assertTrue(out.matches("(?s).*\n\\s+Ready\\s+True\n.*"), out);
            assertTrue(out.matches("(?s).*Normal\\s+Scheduled\\s+\\S+\\s+Successfully assigned shop/worker to this node\n"
                    + ".*Normal\\s+Pulled\\s+.*Normal\\s+Created\\s+\\S+\\s+Created containers main, sidecar\n"
                    + "\\s+Normal\\s+Started\\s+\\S+\\s+Started containers main, sidecar\n.*"), out);

            PodSnapshot pod = node.pods(p -> p.record().name().equals("worker")).get(0);
            List<String> reasons = events(node, pod).stream().map(PodEvents.Event::reason).toList();
            assertTrue(reasons.indexOf("Scheduled") >= 0 && reasons.indexOf("Scheduled") < reasons.indexOf("Started"),
                    reasons.toString());
            assertEquals(List.of(), events(node, pod).stream().filter(e -> e.type().equals("Warning")).toList());
            CliRun missing = inspect(node, "describe", "pod", "worker");
            assertEquals(1, missing.exitCode(), "the pod is in namespace shop, not default: " + missing);
        }
    }
}
