package dev.berth.cli;

import dev.berth.image.Image;
import dev.berth.image.PullPolicy;
import dev.berth.image.PullProgress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Pull an image for this platform into the node's content store, verifying every digest.",
                "Mirrors and plain-http registries come from the config's registries:; credentials from "
                        + "$REGISTRY_AUTH_FILE, else ~/.docker/config.json."})
final class ImagesPullCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. busybox:1.35 or 127.0.0.1:5000/app@sha256:...")
    String reference;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "Always",
            description = "Always, IfNotPresent or Never, as Kubernetes' imagePullPolicy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Override
    public Integer call() {
        global.configureLogging();
        PullPolicy pullPolicy;
        try {
            pullPolicy = PullPolicy.parse(policy);
        } catch (IllegalArgumentException e) {
            throw new dev.berth.core.BerthException(e.getMessage());
        }
        PullProgress progress = System.console() != null && !global.quiet ? new ProgressBar(System.err) : PullProgress.NONE;
        Image image = new ImageServices(global).puller().pull(ImageServices.reference(reference), pullPolicy, progress);
        if (progress instanceof ProgressBar bar) {
            bar.finish();
        }
        System.out.println(image.name() + " " + image.manifest() + " (" + image.layers().size() + " layers)");
        return ExitCodes.OK;
    }
}
