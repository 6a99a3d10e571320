package dev.berth.bench;

import dev.berth.cli.Main;
import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.net.PodNetwork;
import dev.berth.net.cni.CniNetwork;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.Command;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.FileTrees;
import dev.berth.testing.HttpFlood;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Issue 15's network benchmark: what the pod network adds to a pod start.
 * <ol>
 *   <li>the same busybox pod started through berth's {@link PodRuntime} without a network ({@link PodNetwork#NONE}),
 *       with a {@link CniNetwork} on the benchmark's own conflist of berth's default chain (bridge + host-local,
 *       portmap, firewall, tuning), and with the bridge alone without its masquerade rules, interleaved; from the
 *       start call until {@code runc start} returns (as {@link RuntimeBenchmark#startPod}); p50, p90, the ratio
 *       against no network (target 1.25x) and how long the plugins took within the starts;</li>
 *   <li>the floor: {@link CniNetwork#attach} and {@link CniNetwork#detach} alone on a bare network namespace, for
 *       the chain's prefixes (bridge alone, then adding portmap, firewall, tuning: each difference is what that plugin
 *       costs), the bridge without its per-pod masquerade rules ({@code ipMasq} false), the full chain with one host
 *       port, and with its cached results on tmpfs rather than the run root;</li>
 *   <li>what merely starting each plugin costs ({@code CNI_COMMAND=VERSION} through berth's {@link Command}).</li>
 * </ol>
 * Its own bridge ({@value #BRIDGE}), subnet ({@value #SUBNET}) and leases; removes them at the end. Needs root, runc,
 * conmon, Debian's containernetworking-plugins, iptables, docker-registry, skopeo. System properties:
 * {@code bench.runs} (pod starts of each kind, default 30), {@code bench.cycles} (attach/detach cycles, default 30).
 */
public final class NetworkStartBenchmark {

    private static final String BRIDGE = "berth-bench9";
    private static final String SUBNET = "10.88.209.0/24";
    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    /** The plugins of berth's default network, in its order (NetworkConfigList.defaultList). */
    private static final List<String> CHAIN = List.of("bridge", "portmap", "firewall", "tuning");
    private static final int WARMUPS = 3;

    private final Path work;
    private final Path conf;

    private NetworkStartBenchmark(Path work) throws IOException {
        this.work = work;
        this.conf = Files.createDirectories(work.resolve("net.d"));
        for (int plugins = 1; plugins <= CHAIN.size(); plugins++) {
            Files.writeString(conf.resolve(plugins + ".conflist"), conflist(plugins, true));
        }
        Files.writeString(conf.resolve("0.conflist"), conflist(1, false));
    }

    public static void main(String[] args) throws Exception {
        Main.launchProcessesWithVfork(); // as berth's own main does, before this JVM starts its first process
        int runs = Integer.getInteger("bench.runs", 30);
        int cycles = Integer.getInteger("bench.cycles", 30);
        System.out.printf("java %s, %d cpus, OCI runtime %s (runc %s), containernetworking-plugins %s; %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), System.getProperty("bench.runtime", "runc"),
                Processes.run("dpkg-query", "-W", "-f=${Version}", "runc"),
                Processes.run("dpkg-query", "-W", "-f=${Version}", "containernetworking-plugins"), MachineLoad.now());
        if (!Files.isExecutable(PLUGINS.resolve("bridge"))) {
            throw new IllegalStateException("needs the CNI plugins in " + PLUGINS + " (containernetworking-plugins)");
        }
        long pid = ProcessHandle.current().pid();
        Path work = Files.createTempDirectory("berth-bench-net-");
        RuntimeLayout runtime = new RuntimeLayout(Path.of("/run/berth-bench-net-" + pid));
        Mounter mounter = new Mounter();
        String netns = "berth-bench9-" + pid;
        NetworkStartBenchmark bench = new NetworkStartBenchmark(work);
        List<CniNetwork> networks = new ArrayList<>();
        try (TestRegistry registry = TestRegistry.start()) {
            registry.pushBusybox();
            bench.podStarts(registry, runtime, mounter, runs, networks);
            Processes.run("ip", "netns", "add", netns);
            bench.chains(Path.of("/run/netns", netns), runtime, cycles, networks);
            execs(cycles);
        } finally {
            for (CniNetwork network : networks) { // whatever a failure left attached
                network.attached().forEach(network::detach);
            }
            quietly("ip", "netns", "del", netns);
            mounter.unmountAllUnder(runtime.root()); // never delete through a mount
            FileTrees.deleteRecursively(runtime.root());
            mounter.unmountAllUnder(work);
            FileTrees.deleteRecursively(work);
            quietly("ip", "link", "del", BRIDGE); // the bridge plugin leaves its bridge, as it should for a network
            long left = Processes.run("iptables-save").lines().filter(l -> l.contains("10.88.209.")).count();
            System.out.printf("cleaned up: bridge, namespace, leases; iptables lines naming %s left: %d%n", SUBNET, left);
        }
    }

    /**
     * A network of the first {@code plugins} of berth's default chain, named {@code berth-bench9-<plugins>};
     * {@code berth-bench9-0} is the bridge alone without its per-pod masquerade rules ({@code ipMasq} false).
     */
    private String conflist(int plugins, boolean masq) {
        List<String> chain = List.of("""
                {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": %s, "hairpinMode": true,
                 "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}],
                          "dataDir": "%s"}}""".formatted(BRIDGE, masq, SUBNET, work.resolve("ipam")),
                "{\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}, \"snat\": true}",
                "{\"type\": \"firewall\"}", "{\"type\": \"tuning\"}");
        return "{\"cniVersion\": \"1.0.0\", \"name\": \"" + name(masq ? plugins : 0) + "\", \"plugins\": [\n"
                + String.join(",\n", chain.subList(0, plugins)) + "\n]}\n";
    }

    private static String name(int plugins) {
        return BRIDGE + "-" + plugins;
    }

    private CniNetwork network(int plugins, Path results, List<CniNetwork> made) {
        CniNetwork network = new CniNetwork(new CniNetwork.Settings(conf, List.of(PLUGINS), name(plugins)), results,
                CniNetwork.DEADLINE);
        made.add(network);
        return network;
    }

    /**
     * The pod started without a network, with berth's default chain, and with the bridge alone without its masquerade
     * rules (the least a pod's own network can cost), interleaved, the order rotating each round.
     */
    private void podStarts(TestRegistry registry, RuntimeLayout runtime, Mounter mounter, int runs,
                           List<CniNetwork> made) throws Exception {
        RuntimeBenchmark.Node node = RuntimeBenchmark.node(work.resolve("state"), registry);
        Path podFile = RuntimeBenchmark.busyboxPod(work, registry.host() + "/" + TestRegistry.BUSYBOX);
        // the CNI results under the run root, as the CLI keeps them (NodeServices.network)
        List<TimedNetwork> networks = List.of(new TimedNetwork(PodNetwork.NONE),
                new TimedNetwork(network(CHAIN.size(), runtime.cniResults(), made)),
                new TimedNetwork(network(0, runtime.cniResults(), made)));
        List<String> labels = List.of("no network (PodNetwork.NONE)", "CNI, berth's chain (bridge, portmap, firewall,"
                + " tuning)", "CNI, bridge alone, ipMasq off");
        List<PodRuntime> pods = networks.stream().map(n -> RuntimeBenchmark.podRuntime(node, runtime, mounter, n)).toList();
        Path config = work.resolve("config.json"); // startPod copies the container's config there; unused
        long[][] starts = new long[pods.size()][runs];
        long[][] attaches = new long[pods.size()][runs];
        System.out.printf("pod start, busybox `sleep 30`, image present, start call to running; %d runs each,"
                + " interleaved, after %d warm-ups; %s%n", runs, WARMUPS, MachineLoad.now());
        for (int run = -WARMUPS; run < runs; run++) {
            for (int i = 0; i < pods.size(); i++) {
                int k = Math.floorMod(run + i, pods.size());
                long nanos = RuntimeBenchmark.startPod(pods.get(k), podFile, runtime, config);
                String ip = networks.get(k).lastIps.primary().orElse("none");
                if (k > 0 && !ip.startsWith("10.88.209.")) {
                    throw new IllegalStateException(labels.get(k) + ": the pod got no address of " + SUBNET + ": " + ip);
                }
                if (run >= 0) {
                    starts[k][run] = nanos;
                    attaches[k][run] = networks.get(k).lastAttach;
                }
            }
        }
        System.out.println("| pod start | start call to running p50 / p90 | attach within it p50 / p90 | against no"
                + " network: ratio of the medians / median of each round's ratio | same round, minus no network p50 |");
        for (int k = 0; k < pods.size(); k++) {
            String against = k == 0 ? "" : String.format("%.2fx / %.2fx", ratio(starts[k], starts[0]),
                    medianRatio(starts[k], starts[0]));
            String extra = k == 0 ? "" : String.format("%.1f ms", ConvergeBenchmark.median(minus(starts[k], starts[0])) / 1e6);
            System.out.printf("| %s | %s | %s | %s | %s |%n", labels.get(k), stats(starts[k]),
                    k == 0 ? "" : stats(attaches[k]), against, extra);
        }
        System.out.printf("berth's chain against no network: %.2fx, target <= 1.25x: %s (%s)%n", ratio(starts[1],
                starts[0]), ratio(starts[1], starts[0]) <= 1.25 ? "met" : "missed", MachineLoad.now());
    }

    private record Variant(String label, CniNetwork network, List<PodAttachment.HostPort> ports, int against) {}

    /**
     * attach + detach on a bare namespace, each variant against another in the same cycle: the chain's prefixes (the
     * difference is the plugin added), the bridge without its masquerade rules, the full chain with one host port,
     * and with its results cached on tmpfs (the run root here is on disk; an attach writes the cache with fsync).
     */
    private void chains(Path netns, RuntimeLayout runtime, int cycles, List<CniNetwork> made) throws IOException {
        List<Variant> variants = new ArrayList<>();
        for (int plugins = 1; plugins <= CHAIN.size(); plugins++) {
            variants.add(new Variant(String.join(" + ", CHAIN.subList(0, plugins)) + (plugins == 1 ? " (host-local)" : ""),
                    network(plugins, runtime.cniResults(), made), List.of(), plugins - 2));
        }
        CniNetwork full = variants.get(CHAIN.size() - 1).network();
        variants.add(new Variant("bridge (host-local), ipMasq off", network(0, runtime.cniResults(), made), List.of(), 0));
        int hostPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            hostPort = socket.getLocalPort();
        }
        variants.add(new Variant("full chain, one hostPort", full,
                List.of(new PodAttachment.HostPort(hostPort, 8080, "tcp", null)), CHAIN.size() - 1));
        Path tmpfs = Files.createDirectories(work.resolve("shm"));
        Processes.run("mount", "-t", "tmpfs", "tmpfs", tmpfs.toString()); // unmounted with the work directory
        variants.add(new Variant("full chain, results cached on tmpfs", network(CHAIN.size(), tmpfs, made), List.of(),
                CHAIN.size() - 1));

        long[][] attach = new long[variants.size()][cycles];
        long[][] detach = new long[variants.size()][cycles];
        System.out.printf("attach + detach on a bare namespace, %d cycles each, interleaved, after %d warm-ups; %s%n",
                cycles, WARMUPS, MachineLoad.now());
        for (int cycle = -WARMUPS; cycle < cycles; cycle++) {
            for (int v = 0; v < variants.size(); v++) {
                Variant variant = variants.get(v);
                String id = "default.bench9.v" + v + "c" + (cycle + WARMUPS);
                long start = System.nanoTime();
                PodIps ips = variant.network().attach(new PodAttachment(id, "default", "bench9", netns, variant.ports()));
                long attached = System.nanoTime();
                variant.network().detach(id);
                long detached = System.nanoTime();
                if (ips.primary().isEmpty()) {
                    throw new IllegalStateException(variant.label() + " gave no address");
                }
                if (cycle >= 0) {
                    attach[v][cycle] = attached - start;
                    detach[v][cycle] = detached - attached;
                }
            }
        }
        System.out.println("| chain | attach p50 / p90 | detach p50 / p90 | against the row named: attach / detach,"
                + " median of the cycles' differences |");
        for (int v = 0; v < variants.size(); v++) {
            int a = variants.get(v).against();
            String against = a < 0 ? "" : String.format("%s: %+.1f / %+.1f ms", variants.get(a).label(),
                    ConvergeBenchmark.median(minus(attach[v], attach[a])) / 1e6,
                    ConvergeBenchmark.median(minus(detach[v], detach[a])) / 1e6);
            System.out.printf("| %s | %s | %s | %s |%n", variants.get(v).label(), stats(attach[v]), stats(detach[v]),
                    against);
        }
        System.out.printf("(%s)%n", MachineLoad.now());
    }

    /** Each plugin started and gone again (CNI_COMMAND=VERSION), and /bin/true, through berth's Command. */
    private static void execs(int cycles) throws IOException {
        List<Path> programs = new ArrayList<>(CHAIN.stream().map(PLUGINS::resolve).toList());
        programs.add(1, PLUGINS.resolve("host-local"));
        programs.add(Path.of("/bin/true"));
        long[][] times = new long[programs.size()][cycles];
        byte[] stdin = "{\"cniVersion\": \"1.0.0\"}".getBytes();
        Map<String, String> env = Map.of("CNI_COMMAND", "VERSION");
        for (int cycle = -WARMUPS; cycle < cycles; cycle++) {
            for (int p = 0; p < programs.size(); p++) {
                long start = System.nanoTime();
                Command.Result result = Command.run(List.of(programs.get(p).toString()), env, stdin, Duration.ofSeconds(10));
                long nanos = System.nanoTime() - start;
                if (result.exitCode() != 0) {
                    throw new IllegalStateException(programs.get(p) + " VERSION failed: " + result);
                }
                if (cycle >= 0) {
                    times[p][cycle] = nanos;
                }
            }
        }
        System.out.printf("a program started through berth's Command (CNI_COMMAND=VERSION), %d runs each; %s%n", cycles,
                MachineLoad.now());
        for (int p = 0; p < programs.size(); p++) {
            System.out.printf("| %s | %s |%n", programs.get(p).getFileName(), stats(times[p]));
        }
    }

    private static double ratio(long[] ours, long[] base) {
        return (double) ConvergeBenchmark.median(ours) / ConvergeBenchmark.median(base);
    }

    /** The median of each round's ratio: steadier than the ratio of medians while the machine's load drifts. */
    private static double medianRatio(long[] ours, long[] base) {
        double[] ratios = new double[ours.length];
        Arrays.setAll(ratios, i -> (double) ours[i] / base[i]);
        Arrays.sort(ratios);
        return (ratios[(ratios.length - 1) / 2] + ratios[ratios.length / 2]) / 2;
    }

    private static long[] minus(long[] a, long[] b) {
        long[] difference = new long[a.length];
        Arrays.setAll(difference, i -> a[i] - b[i]);
        return difference;
    }

    /** p50 / p90 in ms. */
    private static String stats(long[] nanos) {
        double[] ms = Arrays.stream(nanos).sorted().mapToDouble(n -> n / 1e6).toArray();
        return String.format("%.1f / %.1f ms", ConvergeBenchmark.median(nanos) / 1e6, HttpFlood.percentile(ms, 0.9));
    }

    private static void quietly(String... command) {
        try {
            Processes.run(command);
        } catch (IllegalStateException e) {
            // not there: nothing to remove
        }
    }

    /** A pod network that times each attach: how long the plugins take inside a pod start. */
    private static final class TimedNetwork implements PodNetwork {

        private final PodNetwork network;
        private volatile long lastAttach;
        private volatile PodIps lastIps = new PodIps(List.of());

        TimedNetwork(PodNetwork network) {
            this.network = network;
        }

        @Override
        public PodIps attach(PodAttachment pod) {
            long start = System.nanoTime();
            PodIps ips = network.attach(pod);
            lastAttach = System.nanoTime() - start;
            lastIps = ips;
            return ips;
        }

        @Override
        public void detach(String podId) {
            network.detach(podId);
        }

        @Override
        public void check(String podId) {
            network.check(podId);
        }

        @Override
        public List<String> attached() {
            return network.attached();
        }
    }
}
