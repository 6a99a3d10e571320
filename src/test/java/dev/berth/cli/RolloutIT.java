package dev.berth.cli;

import static dev.berth.cli.Scenarios.inspect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodSnapshot;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config commits roll the pods that read the config; a rolling update keeps the Deployment available. */
class RolloutIT {

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

    static String configMap(String greeting) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {greeting: %s}
                """.formatted(greeting);
    }

    /** Prints the mounted file once, then sleeps. */
    static final String READER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
                - {name: settings, configMap: {name: settings}}
              containers:
                - name: main
                  image: busybox:1.35
                  command: [sh, -c, "cat /etc/settings/greeting; echo; sleep 3600"]
                  volumeMounts: [{name: settings, mountPath: /etc/settings}]
            """;

    /** Reads the value through the environment. */
    static final String ENV_READER = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: env-reader}
            spec:
              replicas: 1
              selector: {matchLabels: {app: env-reader}}
              template:
                metadata: {labels: {app: env-reader}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "echo $GREETING; sleep 3600"]
                      env:
                        - name: GREETING
                          valueFrom: {configMapKeyRef: {name: settings, key: greeting}}
            """;

    static final String UNRELATED = ApplyIT.pod("unrelated", "busybox:1.35", "sleep 3600");

    /** Ready 2 s after it starts: the readiness probe checks a file the container makes then (the test image has no /tmp). */
    static String web(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 4
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxUnavailable: 1, maxSurge: 1}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - name: main
                          image: "%s"
                          command: [sh, -c, "sleep 2; mkdir -p /tmp; touch /tmp/ready; sleep 3600"]
                          readinessProbe:
                            exec: {command: [cat, /tmp/ready]}
                            periodSeconds: 1
                """.formatted(image);
    }

    private static Instant started(PodSnapshot pod) {
        return pod.state().containers().get("main").startedAt();
    }

    private static PodSnapshot ownedPod(NodeFixture node, String deployment) {
        ResourceKey owner = new ResourceKey("Deployment", "default", deployment);
        List<PodSnapshot> pods = node.pods(p -> p.owner().filter(owner::equals).isPresent());
        assertEquals(1, pods.size(), pods.toString());
        return pods.get(0);
    }

    @Test
    void aConfigMapChangeRollsThePodsThatReadItAndNoOthers() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("settings.yaml", configMap("hello"), "reader.yaml", READER, "env-reader.yaml", ENV_READER,
                    "unrelated.yaml", UNRELATED);
            CliRun first = node.apply("--wait");
            assertEquals(0, first.exitCode(), first.toString());
            PodSnapshot reader = node.pod("reader");
            PodSnapshot envReader = ownedPod(node, "env-reader");
            PodSnapshot unrelated = node.pod("unrelated");
            NodeFixture.await("the reader to print the value", Duration.ofSeconds(10),
                    () -> inspect(node, "logs", "reader").out().equals("hello\n"));
            assertEquals("hello", Files.readString(Scenarios.podDir(node, reader.id()).resolve("volumes/settings/greeting")));

            node.commit("settings.yaml", configMap("bonjour"), "reader.yaml", READER, "env-reader.yaml", ENV_READER,
                    "unrelated.yaml", UNRELATED);
            CliRun changed = node.apply("--wait");
            assertEquals(0, changed.exitCode(), changed.toString());

            PodSnapshot newReader = node.pod("reader");
            assertNotEquals(reader.id(), newReader.id(), "the pod mounting the ConfigMap was replaced");
            assertTrue(newReader.running("main"));
            assertEquals("bonjour",
                    Files.readString(Scenarios.podDir(node, newReader.id()).resolve("volumes/settings/greeting")));
            NodeFixture.await("the new reader to print the new value", Duration.ofSeconds(10),
                    () -> inspect(node, "logs", "reader").out().equals("bonjour\n"));

            PodSnapshot newEnvReader = ownedPod(node, "env-reader");
            assertNotEquals(envReader.id(), newEnvReader.id(), "the Deployment reading it through env rolled");
            String envPod = newEnvReader.record().name();
            NodeFixture.await("the new env reader to print the new value", Duration.ofSeconds(10),
                    () -> inspect(node, "logs", envPod).out().equals("bonjour\n"));

            PodSnapshot sameUnrelated = node.pod("unrelated");
            assertEquals(unrelated.id(), sameUnrelated.id(), "the pod not reading the ConfigMap stays");
            assertEquals(started(unrelated), started(sameUnrelated), "and was not restarted");
            assertEquals(0, sameUnrelated.restarts());

            CliRun again = node.apply("--wait");
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(newReader.id(), node.pod("reader").id(), "an unchanged ConfigMap rolls nothing");
            assertEquals(newEnvReader.id(), ownedPod(node, "env-reader").id());
        }
    }

    @Test
    void aRollingUpdateKeepsReplicasMinusMaxUnavailableReady() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("web.yaml", web("busybox:1.35"));
            CliRun first = node.apply("--wait");
            assertEquals(0, first.exitCode(), first.toString());
            List<PodSnapshot> before = node.pods();
            assertEquals(4, before.stream().filter(PodSnapshot::ready).count(), before.toString());
            Set<String> oldIds = before.stream().map(PodSnapshot::id).collect(Collectors.toSet());

            node.commit("web.yaml", web("busybox:1.36"));
            CompletableFuture<CliRun> update = CompletableFuture.supplyAsync(() -> node.apply("--wait"));
            int minReady = Integer.MAX_VALUE;
            int maxLive = 0;
            int samples = 0;
            Set<Long> mixes = new HashSet<>(); // how many old pods were live alongside new ones, per sample
            while (!update.isDone()) {
                List<PodSnapshot> pods;
                try {
                    pods = node.pods();
                } catch (RuntimeException podRemovedWhileReading) {
                    continue;
                }
                samples++;
                minReady = Math.min(minReady, (int) pods.stream().filter(PodSnapshot::ready).count());
                List<PodSnapshot> live = pods.stream().filter(p -> !p.state().terminating()).toList();
                maxLive = Math.max(maxLive, live.size());
                long old = live.stream().filter(p -> oldIds.contains(p.id())).count();
                if (old > 0 && old < live.size()) {
                    mixes.add(old);
                }
            }
            CliRun run = update.get(0, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.toString());

            System.out.printf("rolling update: %d samples, min ready %d, max live %d, old pods beside new: %s%n",
                    samples, minReady, maxLive, mixes);
            assertTrue(samples > 20, "watched the rollout closely: " + samples + " samples");
            assertTrue(mixes.size() >= 2, "saw old and new pods side by side at several steps: " + mixes);
            assertTrue(minReady >= 3, "replicas - maxUnavailable = 3 ready throughout, saw " + minReady);
            assertTrue(maxLive <= 5, "replicas + maxSurge = 5 pods at most, saw " + maxLive);

            List<PodSnapshot> after = node.pods();
            assertEquals(4, after.size(), after.toString());
            for (PodSnapshot p : after) {
                assertTrue(!oldIds.contains(p.id()), "every pod is new: " + p);
                assertTrue(p.ready(), p.toString());
                assertEquals("busybox:1.36", p.record().pod().getSpec().getContainers().get(0).getImage());
            }
            Map<String, Object> web = Scenarios.statusObject(Scenarios.status(node), "Deployment", "web");
            assertEquals("Healthy", web.get("health"), web.toString());
            assertEquals("4/4 ready", web.get("message"), web.toString());
        }
    }
}
