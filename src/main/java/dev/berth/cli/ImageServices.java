package dev.berth.cli;

import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.image.ContentStore;
import dev.berth.image.DockerAuthFile;
import dev.berth.image.ImageImporter;
import dev.berth.image.ImagePuller;
import dev.berth.image.ImageReference;
import dev.berth.image.ImageStore;
import dev.berth.image.LayerUnpacker;
import dev.berth.image.Snapshotter;
import dev.berth.image.Platform;
import dev.berth.image.RegistryClient;
import dev.berth.image.RegistryHosts;
import dev.berth.store.StateLayout;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Wires the image package from the global options: state root, registries config, credentials from the environment. */
final class ImageServices {

    final ContentStore content;
    final ImageStore images;
    private final GlobalOptions global;
    private final StateLayout layout;

    ImageServices(GlobalOptions global) {
        this.global = global;
        this.layout = new StateLayout(global.root());
        this.content = new ContentStore(layout.content());
        this.images = new ImageStore(layout.images(), content);
    }

    Snapshotter snapshotter() {
        return Snapshotter.open(layout, new LayerUnpacker());
    }

    ImagePuller puller() {
        return new ImagePuller(content, images, new RegistryClient(DockerAuthFile.locate(System.getenv())),
                hosts(global.config()), Platform.current());
    }

    ImageImporter importer() {
        return new ImageImporter(content, images, Platform.current());
    }

    static RegistryHosts hosts(BerthConfig config) {
        Map<String, List<String>> mirrors = new HashMap<>();
        Set<String> insecure = new HashSet<>();
        Map<String, Duration> timeouts = new HashMap<>();
        config.registries().forEach((host, registry) -> {
            mirrors.put(host, registry.mirrors() == null ? List.of() : registry.mirrors());
            if (registry.insecure()) {
                insecure.add(host);
            }
            if (registry.timeout() != null) {
                timeouts.put(host, registry.timeout());
            }
        });
        return new RegistryHosts(mirrors, insecure, timeouts);
    }

    static ImageReference reference(String text) {
        try {
            return ImageReference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BerthException(e.getMessage());
        }
    }
}
