package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.image.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Forget an image name; its blobs are freed by 'berth images prune'.")
final class ImagesRemoveCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", description = "Image reference as listed by 'berth images ls'.")
    String reference;

    @Override
    public Integer call() {
        global.configureLogging();
        ImageReference name = ImageServices.reference(reference);
        if (!new ImageServices(global).images.remove(name)) {
            throw new BerthException("image " + name + " is not present");
        }
        System.out.println("removed " + name);
        return ExitCodes.OK;
    }
}
