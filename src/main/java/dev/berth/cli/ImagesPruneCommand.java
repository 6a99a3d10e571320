package dev.berth.cli;

import dev.berth.core.Digest;
import dev.berth.image.ContentStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete the blobs no recorded image uses, and print what was freed.")
final class ImagesPruneCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        global.configureLogging();
        ImageServices services = new ImageServices(global);
        ContentStore.Pruned pruned = services.content.prune(services.images.referencedBlobs());
        if (!global.quiet) {
            for (Digest digest : pruned.removed()) {
                System.out.println("deleted " + digest);
            }
        }
        System.out.println("freed " + pruned.removed().size() + " blobs, " + Sizes.human(pruned.bytes()));
        return ExitCodes.OK;
    }
}
