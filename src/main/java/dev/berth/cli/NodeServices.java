package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.net.PodNetwork;
import dev.berth.net.cni.CniNetwork;
import dev.berth.net.cni.NetworkConfigList;
import dev.berth.net.dns.BridgeGateway;
import dev.berth.net.dns.ClusterDns;
import dev.berth.net.dns.PodDns;
import dev.berth.net.service.IptablesProxy;
import dev.berth.net.service.ServiceIps;
import dev.berth.net.service.ServiceProxy;
import dev.berth.node.NodeFacts;
import dev.berth.node.NodeReconciler;
import dev.berth.node.NodeResources;
import dev.berth.node.PodObserver;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.PodNamespaces;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.StateLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Wires the node's pods and containers from {@code --root} and {@code --run-root}. */
final class NodeServices {

    /** {@code --run-root}: a mixin, so every command that reaches containers takes it alike. */
    static final class RunRoot {
        @Option(names = "--run-root", paramLabel = "DIR", defaultValue = "/run/berth",
                description = "Volatile state: the OCI runtime's root, bundles, pinned namespaces, CNI results (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--runtime", paramLabel = "NAME",
                description = "The OCI runtime: crun, runc, or auto (crun if a probe container runs, else runc; default: the config's runtime, else auto).")
        String runtime;

        /** Absolute: conmon and the OCI runtime, which run in other directories, are given paths under it. */
        Path dir() {
            return GlobalOptions.absolute(dir);
        }
    }

    final StateLayout layout;
    final RuntimeLayout runtime;
    private final GlobalOptions global;
    private final String runtimeName;
    private ContainerRuntime containers;
    private PodDns dns;

    NodeServices(GlobalOptions global, RunRoot runRoot) {
        this.layout = new StateLayout(global.root());
        this.runtime = new RuntimeLayout(runRoot.dir());
        this.global = global;
        this.runtimeName = runRoot.runtime;
    }

    /** Made on first use: it chooses the OCI runtime, which reading records and logs does not need. */
    ContainerRuntime containers() {
        if (containers == null) {
            containers = new ContainerRuntime(runtime, layout.root(), OciRuntimeChoice.Preference.parse(
                    runtimeName != null ? runtimeName : global.config().runtime()));
        }
        return containers;
    }

    /** What starts and removes pods: images, snapshots, namespaces and mounts as well as containers. */
    PodRuntime pods(ImageServices images, ContainerRuntime containers) {
        Mounter mounter = new Mounter();
        return new PodRuntime(layout, images.puller(), images.content, images.snapshotter(), containers,
                new PodNamespaces(runtime.namespaces(), mounter), mounter,
                NodeFacts.ofMachine(global.config().node().reservedCpu(), global.config().node().reservedMemory(),
                        layout.root()), network(), dns());
    }

    /** The pods' network as the config's {@code network} block says; its CNI results are kept under the run root. */
    PodNetwork network() {
        BerthConfig.Network network = global.config().network();
        if (!network.enabled()) {
            return PodNetwork.NONE;
        }
        return new CniNetwork(new CniNetwork.Settings(network.cniConfDir(), network.cniBinDirs(), network.name()),
                runtime.cniResults(), runtime.namespaces(), CniNetwork.DEADLINE);
    }

    /**
     * The pods' DNS server, a dnsmasq on the pod bridge's gateway, its names under the run root; none without a pod
     * network, or with a network of the user's that gives no gateway (its pods keep the host's resolvers then).
     */
    PodDns dns() {
        if (dns == null) {
            BerthConfig.Network network = global.config().network();
            dns = network.enabled()
                    ? BridgeGateway.of(NetworkConfigList.load(network.cniConfDir(), network.name()))
                            .<PodDns>map(gateway -> new ClusterDns(ClusterDns.Settings.of(runtime.root().resolve("dns"),
                                    gateway, network.clusterDomain())))
                            .orElse(PodDns.NONE)
                    : PodDns.NONE;
        }
        return dns;
    }

    /** The reconciler over {@link #pods}, with this machine's capacity less the config's reserve. */
    NodeReconciler reconciler(GlobalOptions global, PodRuntime pods) {
        BerthConfig.Node node = global.config().node();
        BerthConfig.Network network = global.config().network();
        // without a pod network, no pod has an IP a Service could send to: Services have no rules then
        ServiceProxy proxy = network.enabled() ? new IptablesProxy(runtime.root()) : ServiceProxy.NONE;
        return new NodeReconciler(layout, pods, NodeResources.ofMachine(node.labels(), node.reservedCpu(),
                node.reservedMemory(), node.resources()), proxy, new ServiceIps(layout, network.serviceCIDR()), dns());
    }

    /** Reads pods and asks the OCI runtime about their containers; chooses none and writes nothing, unlike {@link #pods}. */
    PodObserver observer() {
        return new PodObserver(layout, new ContainerRuntime(runtime));
    }
}
