package dev.berth.cli;

import dev.berth.core.Digest;
import dev.berth.image.ContentStore;
import dev.berth.sync.ApplyLock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete the blobs and unpacked layers no image or container uses, and print what was freed.",
                "Takes the node's lock, so it never races an apply's pull; under berth watch, which prunes every "
                        + "server.gc on its own, it is refused."})
final class ImagesPruneCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.configureLogging();
        ImageGc.Freed freed;
        try (ApplyLock lock = ApplyLock.acquire(global.root())) {
            freed = ImageGc.run(new ImageServices(global));
        }
        ContentStore.Pruned pruned = freed.blobs();
        List<Digest> layers = freed.layers();
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
