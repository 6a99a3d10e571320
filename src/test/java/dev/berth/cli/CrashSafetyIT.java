package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.ResourceKey;
import dev.berth.node.PodSnapshot;
import dev.berth.node.workload.PodPhase;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection test: {@code berth apply}, run as its own process from the built jar, is killed with
 * SIGKILL at 20 different points of applies of 30 pods (creating them, replacing pods, rolling a Deployment,
 * pruning), then applied again. After each restart the node must hold exactly the desired pods, all running, with
 * nothing left over (containers, conmon monitors, bundles, snapshots, mounts, cgroups, pinned namespaces, pod
 * directories); the pods git did not change must have been adopted, not restarted (same pod, same process), and
 * what a pod wrote to its claim must still be there.
 *
 * <p>The kill points are conditions, not sleeps: a watcher outside berth counts its steps in the state and run
 * roots (a new pod registered, a new pod started, an old pod terminating, an old pod gone; or, in odd rounds, a
 * new container bundle) and kills once round {@code r} has seen fraction {@code ((13 r) mod 20 + 0.5) / 20} of the
 * steps the round needs: every twentieth of an apply once, spread over creates, replaces and prunes.
 */
class CrashSafetyIT {

    private static final int REPLICAS = 10;
    private static final String NAMESPACE = "crash";
    /** Exits on SIGTERM at once (sh as pid 1 ignores it without a trap), so prunes are quick. */
    private static final String SERVE = "trap 'exit 0' TERM; sleep 3600 & wait";
    private static final Pattern STARTED = Pattern.compile("\"started\"\\s*:\\s*true");
    private static final Pattern TERMINATING = Pattern.compile("\"terminating\"\\s*:\\s*true");

    /** Round r applies ROUNDS[r], starting from what round r - 1 converged to (nothing before round 0). */
    private static final List<Desired> ROUNDS = List.of(
            new Desired(true, 0, true, "1.35", 0),   // 30 pods from nothing
            new Desired(true, 1, true, "1.35", 0),   // 6 pods replaced (command)
            new Desired(true, 1, false, "1.35", 0),  // 6 pruned
            new Desired(true, 1, true, "1.35", 0),   // 6 created
            new Desired(true, 1, true, "1.36", 0),   // rolling update of 10 (image)
            new Desired(true, 2, true, "1.36", 1),   // 7 replaced, the claim's writer among them
            new Desired(true, 2, false, "1.35", 1),  // 6 pruned, 10 rolled
            new Desired(true, 3, true, "1.35", 1),   // 6 created, 6 replaced
            new Desired(false, 3, true, "1.35", 1),  // all 30 pruned
            new Desired(true, 0, true, "1.35", 1),   // 30 created again
            new Desired(true, 1, true, "1.36", 1),   // 6 replaced, 10 rolled
            new Desired(true, 1, false, "1.36", 1),  // 6 pruned
            new Desired(true, 1, true, "1.36", 2),   // 6 created, 1 replaced
            new Desired(true, 2, true, "1.36", 2),   // 6 replaced
            new Desired(true, 2, false, "1.35", 2),  // 6 pruned, 10 rolled
            new Desired(false, 2, false, "1.35", 2), // all 24 pruned
            new Desired(true, 3, true, "1.36", 3),   // 30 created
            new Desired(true, 0, false, "1.36", 3),  // 6 replaced, 6 pruned
            new Desired(true, 0, true, "1.35", 3),   // 6 created, 10 rolled
            new Desired(true, 1, true, "1.35", 0));  // 7 replaced

    private static TestRegistry registry;
    private static Set<Path> cgroupsBefore;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = Scenarios.registry();
        cgroupsBefore = NodeProbe.berthCgroups(); // other runs' leftovers are not this test's business
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyKilledApplyIsCompletedByTheNextWithNothingLostDuplicatedOrLeftOver() throws Exception {
        Path jar = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "no " + jar + ": run through mvn verify, which builds it");
        long started = System.nanoTime();
        List<String> report = new ArrayList<>();
        Path runRoot;
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            runRoot = node.runRoot;
            Desired previous = Desired.NOTHING;
            List<String> marker = List.of();
            for (int round = 0; round < ROUNDS.size(); round++) {
                Desired target = ROUNDS.get(round);
                Map<String, Facts> before = facts(node.pods());
                node.commit(target.files());

                Steps expected = Steps.between(previous, target);
                double fraction = ((round * 13) % 20 + 0.5) / 20;
                boolean byContainers = round % 2 == 1 && expected.containers() > 0;
                int needed = (int) Math.ceil(fraction * (byContainers ? expected.containers() : expected.steps()));
                Kill kill = applyAndKill(node, jar, round, byContainers, Math.max(1, needed));

                Set<String> unchanged = unchanged(previous, target, before);
                for (String key : unchanged) { // berth is down: its pods are not
                    assertTrue(Files.exists(Path.of("/proc/" + before.get(key).pid())),
                            "round " + round + ": " + key + " stopped while berth was down\n" + kill.log());
                }

                long recoveryStart = System.nanoTime();
                CliRun recovery = node.apply("--wait");
                long recoveryMillis = (System.nanoTime() - recoveryStart) / 1_000_000;
                String context = "round " + round + " (" + target + ", killed " + kill + ")\n--- killed apply\n"
                        + kill.log() + "--- recovery\n" + recovery;
                assertEquals(0, recovery.exitCode(), context);

                List<PodSnapshot> pods = node.pods();
                assertDesiredPods(target, pods, context);
                Map<String, Facts> after = facts(pods);
                for (String key : unchanged) {
                    assertEquals(before.get(key), after.get(key), "adopted, not restarted: " + key + "\n" + context);
                }
                assertNothingLeftOver(node, pods, context);
                marker = assertClaimKept(node, marker, target, context);

                report.add("round %2d: %-40s killed after %s; recovered in %d ms".formatted(round, target.describe(),
                        kill, recoveryMillis));
                previous = target;
            }
        } finally {
            report.forEach(System.out::println);
            System.out.printf("CrashSafetyIT: %d rounds in %d s%n", report.size(),
                    (System.nanoTime() - started) / 1_000_000_000);
        }
        assertEquals(List.of(), berthCgroupsAdded(), "cgroups left after pruning everything");
        assertEquals(List.of(), NodeProbe.conmons(runRoot, List.of()), "conmon monitors left after pruning everything");
    }

    // ---- what git holds

    /**
     * One round's commit: a ConfigMap, a Secret and a claim always; with {@code pods}, the Deployment "web"
     * ({@value #REPLICAS} replicas of busybox:{@code webTag}) and Pods p00-p13, plus p14-p19 with {@code groupB}.
     * p08-p13 change their command with {@code variantA}, p00 (which appends a line to the claim each start) with
     * {@code keeper}.
     */
    record Desired(boolean pods, int variantA, boolean groupB, String webTag, int keeper) {

        static final Desired NOTHING = new Desired(false, 0, false, "1.35", 0);

        String[] files() {
            List<String> files = new ArrayList<>(List.of("base.yaml", BASE));
            if (pods) {
                files.addAll(List.of("web.yaml", deployment(webTag)));
            }
            podObjects().forEach((name, yaml) -> files.addAll(List.of(name + ".yaml", yaml)));
            return files.toArray(String[]::new);
        }

        /** Pod objects by name. */
        Map<String, String> podObjects() {
            Map<String, String> out = new TreeMap<>();
            if (!pods) {
                return out;
            }
            for (int i = 0; i < (groupB ? 20 : 14); i++) {
                out.put(name(i), pod(i, i == 0 ? keeper : i >= 8 && i <= 13 ? variantA : 0));
            }
            return out;
        }

        int webPods() {
            return pods ? REPLICAS : 0;
        }

        String describe() {
            return !pods ? "no pods" : podObjects().size() + REPLICAS + " pods (A" + variantA + (groupB ? " B" : "")
                    + " web:" + webTag + " k" + keeper + ")";
        }
    }

    private static final String BASE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: crash}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: crash}
            data: {mode: crash}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: crash}
            stringData: {value: s3cret}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: crash}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Mi}}
            """;

    private static String name(int i) {
        return "p%02d".formatted(i);
    }

    private static String deployment(String tag) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: crash}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 5
                      containers:
                        - {name: main, image: "busybox:%s", command: [sh, -c, "%s"],
                           volumeMounts: [{name: cache, mountPath: /cache}]}
                      volumes: [{name: cache, emptyDir: {}}]
                """.formatted(REPLICAS, tag, SERVE);
    }

    /** Pod i: a mix of volumes (disk and memory emptyDirs, config, secret, the claim) and init containers. */
    private static String pod(int i, int variant) {
        String script = ": v" + variant + "; " + SERVE;
        List<String> mounts = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        String init = "";
        if (i == 0) {
            script = "echo v" + variant + "-$(date +%s%N) >> /data/marker; " + script;
            mounts.add("{name: data, mountPath: /data}");
            volumes.add("{name: data, persistentVolumeClaim: {claimName: data}}");
        } else if (i <= 3 || i == 11) {
            script = "echo hi > /scratch/hi; " + script;
            mounts.add("{name: scratch, mountPath: /scratch}");
            volumes.add("{name: scratch, emptyDir: {}}");
        } else if (i <= 5 || i == 8 || i == 9 || i == 14) {
            mounts.add("{name: scratch, mountPath: /scratch}");
            volumes.add("{name: scratch, emptyDir: {medium: Memory, sizeLimit: 1Mi}}");
        } else if (i == 6 || i == 10) {
            mounts.addAll(List.of("{name: config, mountPath: /config}",
                    "{name: secret, mountPath: /secret, readOnly: true}"));
            volumes.addAll(List.of("{name: config, configMap: {name: settings}}",
                    "{name: secret, secret: {secretName: token}}"));
        } else if (i == 7 || i == 15) {
            init = "  initContainers:\n"
                    + "    - {name: init, image: \"busybox:1.35\", command: [sh, -c, \"echo done > /work/init\"],"
                    + " volumeMounts: [{name: work, mountPath: /work}]}\n";
            mounts.add("{name: work, mountPath: /work}");
            volumes.add("{name: work, emptyDir: {}}");
        }
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name(i) + ", namespace: " + NAMESPACE + "}\n"
                + "spec:\n  terminationGracePeriodSeconds: 5\n"
                + init
                + "  containers:\n    - name: main\n      image: \"busybox:1.35\"\n"
                + "      command: [sh, -c, \"" + script + "\"]\n"
                + (mounts.isEmpty() ? "" : "      volumeMounts: [" + String.join(", ", mounts) + "]\n")
                + (volumes.isEmpty() ? "" : "  volumes: [" + String.join(", ", volumes) + "]\n");
    }

    /** How many steps a round takes, as the watcher counts them, and how many containers it creates. */
    record Steps(int steps, int containers) {
        static Steps between(Desired from, Desired to) {
            int created = 0;
            int removed = 0;
            int containers = 0;
            Map<String, String> before = from.podObjects();
            for (Map.Entry<String, String> pod : to.podObjects().entrySet()) {
                if (!pod.getValue().equals(before.get(pod.getKey()))) {
                    created++;
                    containers += pod.getValue().contains("initContainers") ? 2 : 1;
                }
            }
            for (Map.Entry<String, String> pod : before.entrySet()) {
                if (!pod.getValue().equals(to.podObjects().get(pod.getKey()))) {
                    removed++;
                }
            }
            boolean webChanged = !from.webTag().equals(to.webTag()) || from.pods() != to.pods();
            if (webChanged) {
                created += to.webPods();
                containers += to.webPods();
                removed += from.webPods();
            }
            return new Steps(2 * created + 2 * removed, containers);
        }
    }

    /** Keys ("Pod/NAME", or a web pod's id) of the pods the round does not change; those must be adopted. */
    private static Set<String> unchanged(Desired from, Desired to, Map<String, Facts> before) {
        Set<String> keys = new TreeSet<>();
        Map<String, String> next = to.podObjects();
        from.podObjects().forEach((name, yaml) -> {
            if (yaml.equals(next.get(name))) {
                keys.add("Pod/" + name);
            }
        });
        if (from.pods() && to.pods() && from.webTag().equals(to.webTag())) {
            before.keySet().stream().filter(k -> !k.startsWith("Pod/")).forEach(keys::add);
        }
        return keys;
    }

    // ---- killing

    /** Where a round's apply was killed: after how long, at which count of steps (or containers). */
    record Kill(long millis, String at, String log) {
        @Override
        public String toString() {
            return millis + " ms at " + at;
        }
    }

    private Kill applyAndKill(NodeFixture node, Path jar, int round, boolean byContainers, int needed)
            throws Exception {
        Path log = dir.resolve("apply-" + round + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "apply", "--repo", node.repo.dir().toString(), "--config", node.config.toString(),
                "--root", node.root.toString(), "--run-root", node.runRoot.toString(), "--timeout", "2m");
        Watcher watcher = new Watcher(node);
        long start = System.nanoTime();
        Process berth = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (true) {
                watcher.poll();
                int count = byContainers ? watcher.containers() : watcher.steps();
                if (count >= needed) {
                    berth.destroyForcibly(); // SIGKILL
                    assertTrue(berth.waitFor(30, TimeUnit.SECONDS), "berth did not die");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    String at = count + (byContainers ? " containers" : " steps") + " (wanted " + needed + ")";
                    return new Kill(millis, at, Files.readString(log));
                }
                if (!berth.isAlive()) {
                    fail("round " + round + ": the apply ended (exit " + berth.exitValue() + ") before " + needed
                            + (byContainers ? " containers" : " steps") + ": it made " + watcher.steps() + " steps, "
                            + watcher.containers() + " containers\n" + Files.readString(log));
                }
                Thread.sleep(5);
            }
        } finally {
            berth.destroyForcibly();
        }
    }

    /** Counts berth's steps from outside, as the files under the state and run roots show them. */
    private static final class Watcher {
        private final Path pods;
        private final Path bundles;
        private final Set<String> oldPods;
        private final Set<String> oldBundles;
        private final Set<String> newPods = new HashSet<>();
        private final Set<String> newStarted = new HashSet<>();
        private final Set<String> oldRemoving = new HashSet<>();
        private final Set<String> oldGone = new HashSet<>();
        private final Set<String> newBundles = new HashSet<>();

        Watcher(NodeFixture node) throws IOException {
            this.pods = node.root.resolve("pods");
            this.bundles = node.runRoot.resolve("bundles");
            this.oldPods = NodeProbe.names(pods);
            this.oldPods.removeIf(id -> id.startsWith("."));
            this.oldBundles = NodeProbe.names(bundles);
        }

        void poll() throws IOException {
            Set<String> now = NodeProbe.names(pods);
            now.removeIf(id -> id.startsWith(".")); // being registered or deleted
            for (String id : now) {
                String status = readOrEmpty(pods.resolve(id).resolve("status.json"));
                if (!oldPods.contains(id)) {
                    newPods.add(id);
                    if (STARTED.matcher(status).find()) {
                        newStarted.add(id);
                    }
                } else if (TERMINATING.matcher(status).find()) {
                    oldRemoving.add(id);
                }
            }
            for (String id : oldPods) {
                if (!now.contains(id)) {
                    oldRemoving.add(id);
                    oldGone.add(id);
                }
            }
            for (String id : NodeProbe.names(bundles)) {
                if (!oldBundles.contains(id)) {
                    newBundles.add(id);
                }
            }
        }

        int steps() {
            return newPods.size() + newStarted.size() + oldRemoving.size() + oldGone.size();
        }

        int containers() {
            return newBundles.size();
        }
    }

    // ---- checking

    /** A pod's identity and its main container's run: equal before and after means it was left alone. */
    record Facts(String id, int pid, Instant startedAt) {}

    private static Map<String, Facts> facts(List<PodSnapshot> pods) {
        Map<String, Facts> out = new TreeMap<>();
        for (PodSnapshot p : pods) {
            boolean podObject = p.owner().map(ResourceKey::kind).orElse("").equals("Pod");
            String key = podObject ? "Pod/" + p.record().name() : p.id();
            var main = p.containers().get("main");
            var run = p.state().containers().get("main");
            out.put(key, new Facts(p.id(), main == null ? 0 : main.pid(), run == null ? null : run.startedAt()));
        }
        return out;
    }

    /** Exactly the desired pods, each once, as committed, all running. */
    private static void assertDesiredPods(Desired target, List<PodSnapshot> pods, String context) {
        Map<String, Long> podObjects = new TreeMap<>();
        List<PodSnapshot> web = new ArrayList<>();
        for (PodSnapshot p : pods) {
            ResourceKey owner = p.owner()
                    .orElseThrow(() -> new AssertionError("a pod without owner: " + p + "\n" + context));
            if (owner.kind().equals("Pod")) {
                podObjects.merge(p.record().name(), 1L, Long::sum);
                String yaml = target.podObjects().get(p.record().name());
                assertTrue(yaml != null && yaml.contains(script(p)), "pod " + p.id() + " is not as committed\n" + context);
            } else {
                assertEquals("Deployment/web", owner.kind() + "/" + owner.name(), context);
                assertEquals("busybox:" + target.webTag(), main(p).getImage(), context);
                web.add(p);
            }
            assertEquals(PodPhase.RUNNING, p.phase(), p + "\n" + context);
            assertTrue(p.running("main"), p + "\n" + context);
        }
        Map<String, Long> wanted = target.podObjects().keySet().stream()
                .collect(Collectors.toMap(n -> n, n -> 1L, Long::sum, TreeMap::new));
        assertEquals(wanted, podObjects, "one pod per Pod object\n" + context);
        assertEquals(target.webPods(), web.size(), "web's pods\n" + context);
    }

    /**
     * Everything berth makes for a pod exists for the recorded pods and for nothing else: containers (the OCI runtime's
     * list, bundles, snapshots, exit files), conmon monitors, mounts (rootfs overlays, pinned namespaces, tmpfs
     * volumes), pinned namespace directories, cgroups and pod directories.
     */
    private static void assertNothingLeftOver(NodeFixture node, List<PodSnapshot> pods, String context)
            throws IOException, InterruptedException {
        Set<String> podIds = new TreeSet<>();
        Set<String> containers = new TreeSet<>();
        Set<String> appContainers = new TreeSet<>();
        List<String> runMounts = new ArrayList<>();
        List<String> stateMounts = new ArrayList<>();
        for (PodSnapshot p : pods) {
            podIds.add(p.id());
            containers.addAll(p.record().containers());
            p.appContainers().forEach(c -> appContainers.add(p.id() + "." + c.getName()));
            for (String c : p.record().containers()) {
                runMounts.add(node.runRoot.resolve("bundles").resolve(c).resolve("rootfs").toString());
            }
            for (String ns : List.of("net", "ipc", "uts")) {
                runMounts.add(node.runRoot.resolve("netns").resolve(p.id()).resolve(ns).toString());
            }
            for (Volume v : Objects.requireNonNullElse(p.record().pod().getSpec().getVolumes(), List.<Volume>of())) {
                if (v.getSecret() != null || v.getEmptyDir() != null && "Memory".equals(v.getEmptyDir().getMedium())) {
                    stateMounts.add(node.root.resolve("pods/" + p.id() + "/volumes/" + v.getName()).toString());
                }
            }
        }
        assertEquals(podIds, NodeProbe.names(node.root.resolve("pods")), "pod directories\n" + context);
        assertEquals(containers, NodeProbe.names(node.runRoot.resolve("bundles")), "bundles\n" + context);
        assertEquals(containers, new TreeSet<>(NodeProbe.ociContainers(node.runRoot)),
                "the OCI runtime's containers\n" + context);
        assertEquals(containers, NodeProbe.names(node.root.resolve("snapshots/active")), "container snapshots\n" + context);
        Set<String> exits = NodeProbe.names(node.runRoot.resolve("exits"));
        assertTrue(containers.containsAll(exits), "exit files " + exits + "\n" + context);
        assertEquals(List.copyOf(appContainers), NodeProbe.conmons(node.runRoot, List.copyOf(appContainers)),
                "conmon monitors, one per running container\n" + context);
        assertEquals(podIds, NodeProbe.names(node.runRoot.resolve("netns")), "pinned namespace directories\n" + context);
        assertEquals(NodeProbe.sorted(runMounts), NodeProbe.mountsUnder(node.runRoot), "mounts under the run root\n" + context);
        assertEquals(NodeProbe.sorted(stateMounts), NodeProbe.mountsUnder(node.root), "mounts under the state root\n" + context);
        for (PodSnapshot p : pods) { // what the disk emptyDirs' writers wrote stays as long as their pods do
            if (script(p).startsWith("echo hi > /scratch/hi")) {
                Path hi = node.root.resolve("pods").resolve(p.id()).resolve("volumes/scratch/hi");
                assertTrue(Files.exists(hi), hi + " lost\n" + context);
            }
        }
        List<String> strayCgroups = berthCgroupsAdded().stream().filter(c -> !containers.contains(c)).toList();
        assertEquals(List.of(), strayCgroups, "cgroups of no container\n" + context);
    }

    /** The claim's marker keeps every line ever written; each start of p00 adds one. */
    private static List<String> assertClaimKept(NodeFixture node, List<String> before, Desired target, String context)
            throws IOException {
        Path marker = node.root.resolve("volumes/crash/data/marker");
        List<String> now = Files.exists(marker) ? Files.readAllLines(marker) : List.of();
        assertTrue(now.size() >= before.size() && now.subList(0, before.size()).equals(before),
                "claim data lost: had " + before + ", now " + now + "\n" + context);
        if (target.pods()) {
            assertTrue(now.size() > 0 && now.get(now.size() - 1).startsWith("v" + target.keeper() + "-"),
                    "the claim's writer ran: " + now + "\n" + context);
        }
        return now;
    }

    /**
     * The names of this test's cgroups (its containers' ids start with its namespace; other runs may share the
     * machine) that appeared since it began, one per container whatever the number of hierarchies.
     */
    private static List<String> berthCgroupsAdded() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path cgroup : NodeProbe.berthCgroups()) {
            if (!cgroupsBefore.contains(cgroup) && cgroup.getFileName().toString().startsWith(NAMESPACE + ".")) {
                names.add(cgroup.getFileName().toString());
            }
        }
        return List.copyOf(names);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static io.fabric8.kubernetes.api.model.Container main(PodSnapshot p) {
        return p.record().pod().getSpec().getContainers().get(0);
    }

    /** The script of the pod's main container: sh -c SCRIPT. */
    private static String script(PodSnapshot p) {
        return main(p).getCommand().get(2);
    }
}
