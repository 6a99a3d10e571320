package dev.berth.cli;

import dev.berth.image.Image;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an image archive: an OCI image layout as a tar, or a 'docker save' tarball.",
                "Names come from the archive (org.opencontainers.image.ref.name, RepoTags) unless --name is given."})
final class ImagesImportCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "FILE", description = "The archive (tar, or tar.gz).")
    Path file;

    @Option(names = "--name", paramLabel = "REF", description = "Name for the archive's only image.")
    String name;

    @Override
    public Integer call() {
        global.configureLogging();
        for (Image image : new ImageServices(global).importer()
                .importArchive(file, name == null ? null : ImageServices.reference(name))) {
            System.out.println("imported " + image.name() + " " + image.manifest());
        }
        return ExitCodes.OK;
    }
}
