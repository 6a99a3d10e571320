package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.node.NodeReconciler;
import dev.berth.node.NodeResources;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.PodNamespaces;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.StateLayout;
import java.nio.file.Path;

/** Wires the node from the global options: images, runtime, pods, and the reconciler over them. */
final class NodeServices {

    final StateLayout layout;
    final PodRuntime pods;
    private final GlobalOptions global;

    NodeServices(GlobalOptions global, Path runRoot) {
        this.global = global;
        this.layout = new StateLayout(global.root());
        ImageServices images = new ImageServices(global);
        Mounter mounter = new Mounter();
        RuntimeLayout runtime = new RuntimeLayout(runRoot);
        this.pods = new PodRuntime(layout, images.puller(), images.content, images.snapshotter(),
                new ContainerRuntime(runtime), new PodNamespaces(runtime.namespaces(), mounter), mounter);
    }

    NodeReconciler reconciler() {
        BerthConfig.Node node = global.config().node();
        return new NodeReconciler(layout, pods, NodeResources.ofMachine(node.labels(), node.reservedCpu(),
                node.reservedMemory()));
    }
}
