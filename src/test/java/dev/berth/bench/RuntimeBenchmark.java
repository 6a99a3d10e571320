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
 * Node runtime timings for the README, each against the field's tool side by side in the same run: pull (+ unpack)
 * of a ~100 MB image versus {@code skopeo copy} (+ {@code tar -xzf}), and pod start (image present, create to
 * running) versus a bare {@code runc run -d}, and versus conmon + {@code runc create} + {@code runc start} of the same
 * bundle: what berth runs, without berth. Needs root, runc, conmon, docker-registry, skopeo, umoci, busybox.
 * {@code -Dbench.pulls=false} times pod starts only.
 */
public final class RuntimeBenchmark {

    private static final int PULL_RUNS = 5;
    private static final int PULL_WARMUPS = 3;
    private static final int POD_RUNS = 10;
    private static final int POD_WARMUPS = 3;
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
        System.out.printf("java %s, %d cpus, %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Processes.run("runc", "--version").lines().findFirst().orElse("runc"));
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
        PodRuntime pods = podRuntime(node, runtime, mounter, PodNetwork.NONE);
        long[][] times = new long[5][POD_RUNS];
        Path berthConfig = work.resolve("berth-config.json");
        try {
            startPod(pods, podFile, runtime, berthConfig); // one more warm-up, and berth's config for the baseline
            try (BareRunc bare = new BareRunc(work.resolve("runc"), layerFs, berthConfig)) {
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
            }
        } finally {
            mounter.unmountAllUnder(runtime.root());
            FileTrees.deleteRecursively(runtime.root());
        }
        System.out.printf("pod start, busybox `sleep 30`, image present, create to running; %d runs each, interleaved,"
                + " after %d warm-ups%n", POD_RUNS, POD_WARMUPS);
        report("pod start", "berth PodRuntime", times[0], "bare runc run -d (copied rootfs)", times[1], "target <= 1.3x");
        report("pod start", "berth PodRuntime", times[0], "bare mount -t overlay + runc run -d", times[2], "target <= 1.3x");
        report("pod start", "berth PodRuntime", times[0], "same, berth's config.json (equivalent bundle)", times[3],
                "target <= 1.3x");
        report("pod start", "berth PodRuntime", times[0], "same bundle, conmon + runc create + runc start, no berth",
                times[4], "berth's own part");
        report("pod start", "conmon + runc create + runc start", times[4], "runc run -d, same bundle", times[3],
                "the floor with conmon and runc's create/start");
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
     * berth's PodRuntime over {@code node}, wired as the CLI wires it, with {@code network} and no pod DNS; on runc (as
     * the baselines), or the OCI runtime {@code -Dbench.runtime} names (crun, auto).
     */
    static PodRuntime podRuntime(Node node, RuntimeLayout runtime, Mounter mounter, PodNetwork network) {
        ContainerRuntime containers = new ContainerRuntime(runtime, node.layout().root(),
                OciRuntimeChoice.Preference.parse(System.getProperty("bench.runtime", "runc")));
        return new PodRuntime(node.layout(), node.puller(), node.content(), node.snapshotter(),
                containers, new PodNamespaces(runtime.namespaces(), mounter), mounter,
                dev.berth.node.NodeFacts.ofMachine(null, null, node.layout().root()), network,
                dev.berth.net.dns.PodDns.NONE);
    }

    /**
     * PodRuntime.start() until it returns, in ns: its last step, {@code runc start}, returns once the container runs,
     * as {@code runc run -d} does for the baselines. Then, untimed, checks with {@code runc state} that it runs,
     * copies the container's config.json to {@code configCopy}, stops and removes the pod.
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
        long nanos = System.nanoTime() - start; // `runc start` has returned: running, as when `runc run -d` returns
        try {
            String id = running.containers().get("main");
            ContainerStatus status = pods.status(id);
            if (status.status() != RuntimeState.Status.RUNNING) {
                throw new IllegalStateException("the benchmark pod is not running once started: " + status);
            }
            Files.copy(runtime.bundle(id).resolve("config.json"), configCopy, StandardCopyOption.REPLACE_EXISTING);
            return nanos;
        } finally {
            try {
                running.stop(Duration.ZERO);
            } finally {
                running.remove();
            }
        }
    }

    private static void report(String what, String ours, long[] ourNanos, String theirs, long[] theirNanos, String note) {
        long a = median(ourNanos);
        long b = median(theirNanos);
        System.out.printf("%-18s %s %5.0f ms (min %5.0f) | %s %5.0f ms (min %5.0f) | ratio %.2fx (%s)%n", what,
                ours, a / 1e6, Arrays.stream(ourNanos).min().orElseThrow() / 1e6, theirs, b / 1e6,
                Arrays.stream(theirNanos).min().orElseThrow() / 1e6, (double) a / b, note);
    }

    private static long median(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).sorted().toArray();
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
    }
}
