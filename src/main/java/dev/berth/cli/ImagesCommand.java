package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Manage the node's images: pull from a registry, import an archive, list, remove, prune.",
        subcommands = {ImagesPullCommand.class, ImagesListCommand.class, ImagesRemoveCommand.class,
                ImagesPruneCommand.class, ImagesImportCommand.class})
final class ImagesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
