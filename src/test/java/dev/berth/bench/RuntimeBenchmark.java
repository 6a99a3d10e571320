package dev.berth.bench;

import dev.berth.cli.Main;
import dev.berth.core.DirectoryTreeReader;
import dev.berth.image.ContentStore;
import dev.berth.image.DockerAuthFile;
import dev.berth.image.Image;
import dev.berth.image.ImagePuller;
import dev.berth.image.ImageReference;
import dev.berth.image.ImageStore;
import dev.berth.image.Layer;
import dev.berth.image.LayerUnpacker;
import dev.berth.image.Platform;
import dev.berth.image.PullPolicy;
import dev.berth.image.RegistryClient;
import dev.berth.image.RegistryHosts;
import dev.berth.image.Snapshotter;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.net.PodNetwork;
import dev.berth.node.ConfigSource;
import dev.berth.node.ForegroundPod;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.PodNamespaces;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.runtime.RuntimeState;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import dev.berth.testing.Processes;
import dev.berth.testing.TestImages;
import dev.berth.testing.TestRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node runtime timings for docs/benchmarks.md, each against the field's tool side by side in the same run: pull (+
 * unpack) of a ~100 MB image versus {@code skopeo copy} (+ {@code tar -xzf}), and pod start (image present, create to
 * running) versus a bare {@code run -d} of the OCI runtime, and versus conmon + its {@code create} + {@code start} of
 * the same bundle: what berth runs, without berth (issue 16's floor). The runtime is the one berth chooses ({@code
 * -Dbench.runtime=auto}, the default: crun where it runs) or the one named ({@code crun}, {@code runc}); the baselines
 * run the same binary. Every figure is printed with the load average. Needs root, crun or runc, conmon,
 * docker-registry, skopeo, umoci, busybox. {@code -Dbench.pulls=false} times pod starts only.
 */
public final class RuntimeBenchmark {

    private static final int PULL_RUNS = 5;
    private static final int PULL_WARMUPS = 3;
    private static final int POD_RUNS = 10;
    private static final int POD_WARMUPS = 3;
    /** Pods started at once for the floor of a converge; 0 leaves it out. */
    private static final int BATCH = Integer.getInteger("bench.batch", 20);
    private static final int BATCH_RUNS = 5;
    private static final int RANDOM_LAYERS = 3;
    private static final int LAYER_BYTES = 33 << 20;
    private static final String BIG = "bench/big:1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path work;
    private final TestRegistry registry;

    private RuntimeBenchmark(Path work, TestRegistry registry) {
        this.work = work;
        this.registry = registry;
    }

    record Node(StateLayout layout, ContentStore content, ImagePuller puller, Snapshotter snapshotter) {}

    /** One node's image services over a state root, wired as the CLI wires them; the registry is plain http. */
    static Node node(Path root, TestRegistry registry) {
        StateLayout layout = new StateLayout(root);
        ContentStore content = new ContentStore(layout.content());
        ImagePuller puller = new ImagePuller(content, new ImageStore(layout.images(), content),
                new RegistryClient(DockerAuthFile.empty()), new RegistryHosts(Map.of(), Set.of(registry.host())),
                Platform.current());
        return new Node(layout, content, puller, Snapshotter.open(layout, new LayerUnpacker()));
    }

    public static void main(String[] args) throws Exception {
        Main.launchProcessesWithVfork(); // as berth's own main does, before this JVM starts its first process
        System.out.printf("java %s, %d cpus, -Dbench.runtime=%s; %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), preference().name().toLowerCase(java.util.Locale.ROOT), MachineLoad.now());
        // RegistryClient sizes java.net.http's buffers as it loads; TestRegistry's readiness probe must not load that first
        MethodHandles.lookup().ensureInitialized(RegistryClient.class);
        Path work = Files.createTempDirectory("berth-bench-rt-");
        try (TestRegistry registry = TestRegistry.start()) {
            RuntimeBenchmark bench = new RuntimeBenchmark(work, registry);
            registry.pushBusybox();
            if (Boolean.parseBoolean(System.getProperty("bench.pulls", "true"))) {
                registry.push(bench.bigImage(), BIG);
                bench.pulls();
            }
            bench.podStarts();
        } finally {
            new Mounter().unmountAllUnder(work); // never delete through a mount
            FileTrees.deleteRecursively(work);
        }
    }

    /** TestImages' busybox plus three layers of random (incompressible) bytes, one umoci repack each. */
    private Path bigImage() throws IOException {
        Path layout = work.resolve("big-layout");
        Path bundle = work.resolve("big-bundle");
        TestImages.copyTree(TestImages.busybox(), layout);
        String image = layout + ":" + TestImages.TAG;
        Processes.run("umoci", "unpack", "--image", image, bundle.toString());
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(42);
        for (int layer = 1; layer <= RANDOM_LAYERS; layer++) {
            try (OutputStream out = Files.newOutputStream(bundle.resolve("rootfs/random-" + layer))) {
                for (int written = 0; written < LAYER_BYTES; written += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
            // --refresh-bundle: otherwise the next repack diffs against the first unpack, replacing this layer
            Processes.run("umoci", "repack", "--refresh-bundle", "--image", image, bundle.toString());
        }
        FileTrees.deleteRecursively(bundle);
        return layout;
    }

    private void pulls() throws IOException {
        ImageReference ref = ImageReference.parse(registry.host() + "/" + BIG);
        long[][] berth = new long[2][PULL_RUNS];
        long[][] skopeo = new long[2][PULL_RUNS];
        Image image = null;
        long[] cold = null;
        // warm-ups: the JIT (still compiling java.net.http's paths after one pull), the registry and the page cache
        for (int run = -PULL_WARMUPS; run < PULL_RUNS; run++) {
            Pulled b = berthPull(ref, work.resolve("pull-state"));
            long[] s = skopeoPull(work.resolve("pull-skopeo"));
            image = b.image();
            cold = cold == null ? new long[] {b.nanos()[0], s[0]} : cold;
            for (int phase = 0; run >= 0 && phase < 2; phase++) {
                berth[phase][run] = b.nanos()[phase];
                skopeo[phase][run] = s[phase];
            }
        }
        long bytes = image.layers().stream().mapToLong(Layer::size).sum();
        System.out.printf("image %s: %d layers, %.1f MB compressed; %d runs each, interleaved, after %d warm-ups%n",
                BIG, image.layers().size(), bytes / 1e6, PULL_RUNS, PULL_WARMUPS);
        System.out.printf("first pull of this JVM (cold JIT and page cache): berth %.0f ms, skopeo copy %.0f ms%n",
                cold[0] / 1e6, cold[1] / 1e6);
        System.out.println(MachineLoad.now());
        report("pull (fetch only)", "berth", berth[0], "skopeo copy", skopeo[0], "target <= 1.0x");
        report("pull + unpack", "berth", berth[1], "skopeo copy + tar -xzf", skopeo[1], "target <= 1.0x");
    }

    private record Pulled(Image image, long[] nanos) {}

    /** Pull, then pull + unpack, in ns, into a fresh state root. */
    private Pulled berthPull(ImageReference ref, Path root) throws IOException {
        FileTrees.deleteRecursively(root);
        Node node = node(root, registry);
        long start = System.nanoTime();
        Image image = node.puller().pull(ref, PullPolicy.ALWAYS);
        long pulled = System.nanoTime();
        node.snapshotter().unpack(image, node.content()::path);
        return new Pulled(image, new long[] {pulled - start, System.nanoTime() - start});
    }

    /** skopeo copy into a fresh OCI layout, then each layer extracted into its own directory, in ns. */
    private long[] skopeoPull(Path dir) throws IOException {
        FileTrees.deleteRecursively(dir);
        long start = System.nanoTime();
        Processes.run("skopeo", "--insecure-policy", "copy", "-q", "--src-tls-verify=false",
                "docker://" + registry.host() + "/" + BIG, "oci:" + dir + ":big");
        long fetched = System.nanoTime();
        List<Path> layers = ociLayers(dir);
        for (int i = 0; i < layers.size(); i++) {
            Path target = Files.createDirectories(dir.resolve("unpacked/" + i));
            Processes.run("tar", "-xzf", layers.get(i).toString(), "-C", target.toString());
        }
        return new long[] {fetched - start, System.nanoTime() - start};
    }

    /** The layer blobs of the layout's only image, bottom first. */
    private static List<Path> ociLayers(Path layout) throws IOException {
        JsonNode index = JSON.readTree(Files.readString(layout.resolve("index.json")));
        JsonNode manifest = JSON.readTree(Files.readString(blob(layout, index.get("manifests").get(0))));
        List<Path> layers = new ArrayList<>();
        manifest.get("layers").forEach(layer -> layers.add(blob(layout, layer)));
        return layers;
    }

    private static Path blob(Path layout, JsonNode descriptor) {
        return layout.resolve("blobs/sha256").resolve(descriptor.get("digest").asString().substring("sha256:".length()));
    }

    private void podStarts() throws Exception {
        Node node = node(work.resolve("pod-state"), registry);
        String busybox = registry.host() + "/" + TestRegistry.BUSYBOX;
        Image image = node.puller().pull(ImageReference.parse(busybox), PullPolicy.ALWAYS);
        Path podFile = busyboxPod(work, busybox);
        Path layerFs = node.snapshotter().unpack(image, node.content()::path).get(0);
        RuntimeLayout runtime = new RuntimeLayout(Path.of("/run/berth-bench-" + ProcessHandle.current().pid()));
        Mounter mounter = new Mounter();
        PodRuntime pods = podRuntime(node, runtime, mounter, PodNetwork.NONE, preference());
        // what the ContainerRuntime just chose, remembered in its run root: the baselines run the same binary
        OciRuntimeChoice.Choice oci = new OciRuntimeChoice(runtime).choose(preference());
        String name = oci.name();
        System.out.printf("OCI runtime %s (%s: %s), %s%n", oci.binary(),
                Processes.run(oci.binary().toString(), "--version").lines().findFirst().orElse(name), oci.reason(),
                Processes.run("conmon", "--version").lines().findFirst().orElse("conmon"));
        long[][] times = new long[5][POD_RUNS];
        Path berthConfig = work.resolve("berth-config.json");
        try {
            startPod(pods, podFile, runtime, berthConfig); // one more warm-up, and berth's config for the baseline
            try (BareOci bare = new BareOci(oci.binary(), work.resolve("oci"), layerFs, berthConfig)) {
                for (int run = -POD_WARMUPS; run < POD_RUNS; run++) {
                    long[] t = {startPod(pods, podFile, runtime, berthConfig), bare.runCopied("copied" + run),
                            bare.runOverlay("overlay" + run), bare.runEquivalent("equivalent" + run),
                            bare.runMonitored("monitored" + run)};
                    for (String kind : List.of("copied", "overlay", "equivalent", "monitored")) {
                        bare.delete(kind + run);
                    }
                    for (int i = 0; run >= 0 && i < t.length; i++) {
                        times[i][run] = t[i];
                    }
                }
                if (BATCH > 0) {
                    batchFloor(bare, name);
                }
            }
        } finally {
            mounter.unmountAllUnder(runtime.root());
            FileTrees.deleteRecursively(runtime.root());
        }
        System.out.printf("pod start, busybox `sleep 30`, image present, create to running, on %s; %d runs each,"
                + " interleaved, after %d warm-ups%n", name, POD_RUNS, POD_WARMUPS);
        report("pod start", "berth PodRuntime", times[0], "bare " + name + " run -d (copied rootfs)", times[1], "");
        report("pod start", "berth PodRuntime", times[0], "bare mount -t overlay + " + name + " run -d", times[2], "");
        double overRun = report("pod start", "berth PodRuntime", times[0], name + " run -d of berth's config.json"
                + " (equivalent bundle)", times[3], "reported, no target");
        double overFloor = report("pod start", "berth PodRuntime", times[0], "same bundle, conmon + " + name
                + " create + " + name + " start, no berth (the floor)", times[4], "berth's own part");
        report("pod start", "conmon + " + name + " create + start", times[4], name + " run -d, same bundle", times[3],
                "what conmon and create/start cost over run -d");
        System.out.printf("target (issue 16): pod start, berth <= 1.15x of the floor (conmon + %s create + %s start of"
                + " the same bundle without berth): %.2fx, %s; ratio to %s run -d %.2fx; %s%n", name, name, overFloor,
                overFloor <= 1.15 ? "met" : "missed", name, overRun, MachineLoad.now());
    }

    /**
     * The floor of a converge of {@link #BATCH} pods (issue 16's 20): that many conmon + create + start of berth's
     * bundle at once, one thread each as berth's pod workers start them, no berth; with the CPU it took when this
     * JVM runs in a cgroup of its own (cpuacct.usage: conmon, the runtime and this JVM; not the containers' own
     * processes once they are in their cgroups).
     */
    private static void batchFloor(BareOci bare, String name) throws Exception {
        long[] wall = new long[BATCH_RUNS];
        long[] cpu = new long[BATCH_RUNS];
        for (int run = -1; run < BATCH_RUNS; run++) {
            long cpuBefore = cgroupCpuNanos();
            long nanos = bare.runMonitoredAtOnce("batch" + (run + 1) + "-", BATCH);
            long cpuAfter = cgroupCpuNanos();
            for (int i = 0; i < BATCH; i++) {
                bare.delete("batch" + (run + 1) + "-" + i);
            }
            if (run >= 0) {
                wall[run] = nanos;
                cpu[run] = cpuAfter - cpuBefore;
            }
        }
        System.out.printf("floor of %d pods at once: conmon + %s create + %s start of berth's bundle, %d threads, no"
                + " berth: median %.0f ms (min %.0f) of %d after a warm-up; CPU %s; %s%n", BATCH, name, name, BATCH,
                median(wall) / 1e6, Arrays.stream(wall).min().orElseThrow() / 1e6, BATCH_RUNS,
                cgroupCpuNanos() < 0 ? "not measured (run in a cpuacct cgroup of its own)"
                        : String.format("%.0f ms (%.1f ms a pod)", median(cpu) / 1e6, median(cpu) / 1e6 / BATCH), MachineLoad.now());
    }

    /** CPU time of this JVM's cpuacct cgroup and all in it, in ns; -1 in the root cgroup (the whole machine). */
    static long cgroupCpuNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (Arrays.asList(f[1].split(",")).contains("cpuacct") && !f[2].equals("/")) {
                    return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup", f[1], f[2], "cpuacct.usage")).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** What {@code -Dbench.runtime} names: auto (the default: what berth chooses), crun or runc. */
    static OciRuntimeChoice.Preference preference() {
        return OciRuntimeChoice.Preference.parse(System.getProperty("bench.runtime", "auto"));
    }

    /** Writes the benchmark's pod, {@code sleep 30} in {@code busybox} (pulled by its first start if missing). */
    static Path busyboxPod(Path dir, String busybox) throws IOException {
        return Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: bench}
                spec:
                  containers: [{name: main, image: "%s", command: [sleep, "30"]}]
                """.formatted(busybox));
    }

    /**
     * berth's PodRuntime over {@code node}, wired as the CLI wires it, with {@code network} and no pod DNS; on runc, or
     * the OCI runtime {@code -Dbench.runtime} names (crun, auto). For NetworkStartBenchmark.
     */
    static PodRuntime podRuntime(Node node, RuntimeLayout runtime, Mounter mounter, PodNetwork network) {
        return podRuntime(node, runtime, mounter, network,
                OciRuntimeChoice.Preference.parse(System.getProperty("bench.runtime", "runc")));
    }

    /** Like {@link #podRuntime(Node, RuntimeLayout, Mounter, PodNetwork)}, on the OCI runtime {@code oci} chooses. */
    static PodRuntime podRuntime(Node node, RuntimeLayout runtime, Mounter mounter, PodNetwork network,
                                 OciRuntimeChoice.Preference oci) {
        ContainerRuntime containers = new ContainerRuntime(runtime, node.layout().root(), oci);
        return new PodRuntime(node.layout(), node.puller(), node.content(), node.snapshotter(),
                containers, new PodNamespaces(runtime.namespaces(), mounter), mounter,
                dev.berth.node.NodeFacts.ofMachine(null, null, node.layout().root()), network,
                dev.berth.net.dns.PodDns.NONE);
    }

    /**
     * PodRuntime.start() until it returns, in ns: its last step, the runtime's {@code start}, returns once the container
     * runs, as {@code run -d} does for the baselines. Then, untimed, checks with the runtime's state that it runs,
     * copies the container's config.json to {@code configCopy} (with the pod's files it binds), stops and removes the
     * pod.
     */
    static long startPod(PodRuntime pods, Path podFile, RuntimeLayout runtime, Path configCopy)
            throws IOException {
        DesiredState desired = new ManifestLoader().loadFiles(new DirectoryTreeReader(podFile.getParent()),
                List.of(podFile.getFileName().toString()), null);
        Pod pod = (Pod) desired.manifests().iterator().next().typed();
        long start = System.nanoTime();
        ForegroundPod running;
        try {
            running = ForegroundPod.start(pods, pod, new ConfigSource(desired), (name, id) -> {
                throw new IllegalStateException("the benchmark pod has no init containers");
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the benchmark pod", e);
        }
        long nanos = System.nanoTime() - start; // `start` has returned: running, as when `run -d` returns
        try {
            String id = running.containers().get("main");
            ContainerStatus status = pods.status(id);
            if (status.status() != RuntimeState.Status.RUNNING) {
                throw new IllegalStateException("the benchmark pod is not running once started: " + status);
            }
            copyConfig(runtime.bundle(id).resolve("config.json"), pods.podDir(running.id()), configCopy);
            return nanos;
        } finally {
            try {
                running.stop(Duration.ZERO);
            } finally {
                running.remove();
            }
        }
    }

    /**
     * Copies a container's config.json to {@code copy}, and the pod's own files it binds (/etc/hosts, resolv.conf),
     * which go with the pod, to {@code pod-files/} beside it, pointing the copy at them.
     */
    private static void copyConfig(Path config, Path podDir, Path copy) throws IOException {
        tools.jackson.databind.node.ObjectNode tree = (tools.jackson.databind.node.ObjectNode) JSON.readTree(
                Files.readString(config));
        Path files = copy.resolveSibling("pod-files");
        for (JsonNode mount : tree.get("mounts")) {
            Path source = Path.of(mount.path("source").asString(""));
            if (source.startsWith(podDir) && Files.isRegularFile(source)) {
                Path kept = files.resolve(podDir.relativize(source));
                Files.createDirectories(kept.getParent());
                Files.copy(source, kept, StandardCopyOption.REPLACE_EXISTING);
                ((tools.jackson.databind.node.ObjectNode) mount).put("source", kept.toString());
            }
        }
        Files.writeString(copy, JSON.writeValueAsString(tree));
    }

    /** Prints both medians (and minima), their ratio and the load; returns the ratio. */
    private static double report(String what, String ours, long[] ourNanos, String theirs, long[] theirNanos,
                                 String note) {
        long a = median(ourNanos);
        long b = median(theirNanos);
        System.out.printf("%-18s %s %5.0f ms (min %5.0f) | %s %5.0f ms (min %5.0f) | ratio %.2fx%s; %s%n", what,
                ours, a / 1e6, Arrays.stream(ourNanos).min().orElseThrow() / 1e6, theirs, b / 1e6,
                Arrays.stream(theirNanos).min().orElseThrow() / 1e6, (double) a / b, note.isEmpty() ? "" : " (" + note + ")",
                MachineLoad.now());
        return (double) a / b;
    }

    private static long median(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).sorted().toArray();
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }
}
