package dev.berth.cli;

import dev.berth.core.Digest;
import dev.berth.image.ContentStore;
import dev.berth.image.Snapshotter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete the blobs and unpacked layers no image or container uses, and print what was freed.")
final class ImagesPruneCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.configureLogging();
        ImageServices services = new ImageServices(global);
        ContentStore.Pruned pruned = services.content.prune(services.images.referencedBlobs());
        Snapshotter snapshotter = services.snapshotter();
        Set<String> usedLayers = new HashSet<>();
        services.images.list().forEach(image -> usedLayers.addAll(snapshotter.chainIds(image)));
        List<Digest> layers = snapshotter.prune(usedLayers);
        if (!global.quiet) {
            for (Digest digest : pruned.removed()) {
                System.out.println("deleted " + digest);
            }
            for (Digest chainId : layers) {
                System.out.println("deleted unpacked layer " + chainId);
            }
        }
        System.out.println("freed " + pruned.removed().size() + " blobs, " + Sizes.human(pruned.bytes()) + "; "
                + layers.size() + " unpacked layers");
        return ExitCodes.OK;
    }
}
