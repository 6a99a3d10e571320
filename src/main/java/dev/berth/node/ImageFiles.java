package dev.berth.node;

import java.util.Optional;

/** Reads a small file of a container's image, such as {@code etc/passwd}, as the container would see it. */
@FunctionalInterface
interface ImageFiles {

    /** An image with no files to read (an image without /etc/passwd behaves the same). */
    ImageFiles NONE = path -> Optional.empty();

    /** @param path relative to the image's root, e.g. {@code etc/group} */
    Optional<String> read(String path);
}
