package dev.berth.cli;

import dev.berth.image.ContentStore;
import dev.berth.image.Snapshotter;
import java.util.HashSet;
import java.util.Set;

/** Deletes blobs and unpacked layers no image uses; shared by {@code images prune} and watch mode's timer. */
final class ImageGc {

    record Freed(ContentStore.Pruned blobs, java.util.List<dev.berth.core.Digest> layers) {}

    private ImageGc() {}

    static Freed run(ImageServices services) {
        ContentStore.Pruned pruned = services.content.prune(services.images.referencedBlobs());
        Snapshotter snapshotter = services.snapshotter();
        Set<String> usedLayers = new HashSet<>();
        services.images.list().forEach(image -> usedLayers.addAll(snapshotter.chainIds(image)));
        return new Freed(pruned, snapshotter.prune(usedLayers));
    }
}
