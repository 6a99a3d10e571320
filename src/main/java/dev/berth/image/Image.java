package dev.berth.image;

import dev.berth.core.Digest;
import java.util.List;

/**
 * An image present in the content store: the manifest (for this platform) and what it references.
 *
 * @param name     the reference it was pulled or imported as
 * @param manifest digest of the platform manifest (not of an index)
 * @param config   digest of the image config blob
 * @param layers   bottom layer first
 */
public record Image(ImageReference name, Digest manifest, Digest config, List<Layer> layers, ImageConfig runConfig) {

    public Image {
        layers = List.copyOf(layers);
    }
}
