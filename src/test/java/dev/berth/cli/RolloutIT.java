package dev.berth.cli;

import static dev.berth.cli.Scenarios.inspect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodSnapshot;
import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.WatchProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config commits roll the pods that read the config; a rolling update keeps the Deployment available, and behind a
 * Service (on a CNI network and the host's iptables of the test's own) drops no request.
 */
class RolloutIT {

    private static final String BRIDGE = "berth-it203";
    private static final String SERVICE_IP = "10.96.203.2"; // the first of the test's Service range
    private static final int NODE_PORT = 30997;

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
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) { // the bridge outlives pods, as the plugin leaves it
            Processes.run("ip", "link", "del", BRIDGE);
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

    private String network() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(conf.resolve("10-it.conflist"), """
                {"cniVersion": "1.0.0", "name": "%s", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.203.0/24"}]],
                            "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "%s"}},
                  {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
                ]}
                """.formatted(BRIDGE, BRIDGE, dir.resolve("ipam")));
        return "network: {cniConfDir: " + conf + ", name: " + BRIDGE + ", serviceCIDR: 10.96.203.0/24}\n";
    }

    /**
     * httpd serving a page that names its version, ready once it answers, behind a NodePort Service whose port (80) is
     * not the pods' (8080). The shell exits at SIGTERM, which kills httpd at once, as most servers stop: httpd as the
     * container's init would ignore the signal and serve on through the grace period. No preStop hook, which
     * Kubernetes users add to outlast the endpoints' update (berth refuses lifecycle hooks): berth takes a pod out of
     * the Service's rules before it signals its containers.
     */
    static String served(String version) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: served}
                spec:
                  replicas: 2
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
                  selector: {matchLabels: {app: served}}
                  template:
                    metadata: {labels: {app: served}}
                    spec:
                      containers:
                        - name: main
                          image: busybox:1.35
                          env: [{name: VERSION, value: "%s"}]
                          command: [sh, -c, "mkdir -p /www; echo $VERSION > /www/index.html; trap 'exit 0' TERM;
                                    httpd -f -p 8080 -h /www & wait"]
                          ports: [{name: http, containerPort: 8080}]
                          readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: served}
                spec:
                  type: NodePort
                  selector: {app: served}
                  ports: [{name: www, port: 80, targetPort: http, nodePort: %d}]
                """.formatted(version, NODE_PORT);
    }

    @Test
    void aRollingUpdateBehindAServiceDropsNoRequest() throws Exception {
        Prerequisites.requireBinaries("iptables-save", "ip");
        Prerequisites.require(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "the CNI plugins are not installed (containernetworking-plugins)");
        // berth's chain names are the host's: another berth's sync would replace this test's rules
        Prerequisites.require(!Processes.run("iptables-save").contains("BERTH-"),
                "berth's chains are in the host's iptables already (a berth running here?)");
        try (NodeFixture node = new NodeFixture(dir, registry, network())) {
            node.commit("served.yaml", served("v1"));
            try (WatchProcess watch = node.watch("--interval", "10m")) {
                watch.awaitReady(Duration.ofSeconds(90));
                NodeFixture.await("v1 ready behind the Service", Duration.ofSeconds(90),
                        () -> versions(node).equals(Map.of("v1", 2)) && endpoints() == 2);

                Client client = new Client();
                client.start();
                long start;
                try {
                    NodeFixture.await("the client's first answers", Duration.ofSeconds(10),
                            () -> client.streak("v1") >= 20);
                    node.commit("served.yaml", served("v2"));
                    start = System.nanoTime();
                    assertEquals(2, watch.signedHook("{\"ref\":\"refs/heads/main\"}").statusCode() / 100);
                    NodeFixture.await("v2 alone, answering", Duration.ofSeconds(120),
                            () -> versions(node).equals(Map.of("v2", 2)) && client.streak("v2") >= 50);
                } finally {
                    client.finish();
                }
                long rollout = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                System.out.printf("rollout behind a Service: %d requests in %d ms of rollout, answers %s, %d errors%n",
                        client.requests(), rollout, client.seen, client.errors.size());
                client.errors.forEach(e -> System.out.println("  error: " + e));
                if (!client.errors.isEmpty()) { // berth's side of the same moments
                    watch.log().lines().forEach(l -> System.out.println("  watch: " + l));
                }
                assertEquals(List.of(), client.errors, "requests failed during the rollout");
                assertTrue(client.requests() > 200, "the client kept asking: " + client.requests());
                assertTrue(client.seen.keySet().containsAll(Set.of("v1", "v2")), client.seen.toString());
                // with the default grace period of 30 s: the old pods stopped at SIGTERM, while requests went on
                assertTrue(rollout < 30_000, "the old pods were killed at the end of their grace period: " + rollout);
                watch.terminate();
            }
        }
        assertFalse(Processes.run("iptables-save").contains("BERTH-"), "berth's chains left after the prune");
    }

    /** The Service's endpoints in the host's rules: berth's DNATs to pods. */
    private static long endpoints() {
        return Processes.run("iptables-save", "-t", "nat").lines()
                .filter(l -> l.startsWith("-A BERTH-SEP-") && l.contains("-j DNAT")).count();
    }

    /** The Deployment's pods, terminating ones too, counted by the version they serve; empty while one is removed. */
    private static Map<String, Integer> versions(NodeFixture node) {
        Map<String, Integer> versions = new TreeMap<>();
        try {
            for (PodSnapshot p : node.pods()) {
                boolean serving = p.ready() && !p.state().terminating();
                String version = p.record().pod().getSpec().getContainers().get(0).getEnv().get(0).getValue();
                versions.merge(serving ? version : version + " (not serving)", 1, Integer::sum);
            }
        } catch (RuntimeException podRemovedWhileReading) {
            return Map.of();
        }
        return versions;
    }

    /**
     * Loops GETs, each on a new connection, alternately to the Service's IP and to its NodePort on 127.0.0.1, until
     * stopped; counts the answers by page and keeps every failure with its time (as the daemon's log prints it).
     * Its counts are read once it has finished.
     */
    private static final class Client extends Thread {

        final Map<String, Integer> seen = new TreeMap<>();
        final List<String> errors = new ArrayList<>();
        private volatile boolean stopped;
        private volatile String last = "";
        private volatile int streak;
        private volatile int requests;

        @Override
        public void run() {
            for (int i = 0; !stopped; i++) {
                InetSocketAddress to = i % 2 == 0 ? new InetSocketAddress(SERVICE_IP, 80)
                        : new InetSocketAddress("127.0.0.1", NODE_PORT);
                LocalTime at = LocalTime.now();
                try {
                    String page = get(to);
                    seen.merge(page, 1, Integer::sum);
                    streak = page.equals(last) ? streak + 1 : 1;
                    last = page;
                } catch (IOException e) {
                    errors.add(at + " " + to + ": " + e);
                    streak = 0;
                }
                requests = i + 1;
            }
        }

        /** How many answers in a row were {@code page}, up to now. */
        int streak(String page) {
            return page.equals(last) ? streak : 0;
        }

        int requests() {
            return requests;
        }

        void finish() throws InterruptedException {
            stopped = true;
            join();
        }

        private static String get(InetSocketAddress to) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(to, 2000);
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!reply.matches("(?s)HTTP/1\\.[01] 200 .*")) {
                    throw new IOException("answered " + reply.lines().findFirst().orElse("nothing"));
                }
                return reply.substring(reply.indexOf("\r\n\r\n") + 4).strip();
            }
        }
    }
}
