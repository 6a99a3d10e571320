package dev.berth.image;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns tar entry names into paths that stay inside one directory, whatever the archive says. Nothing here ever
 * follows a symlink: a layer may hold {@code evil -> /etc} and then {@code evil/passwd}, and writing through
 * that link would change the host. Symlink targets themselves are never resolved here (they mean something only
 * inside the container's root).
 */
final class ContainedTree {

    private final Path root;

    ContainedTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The name's components, with a leading {@code /} and {@code .} parts dropped as Docker does; empty for the
     * root itself. A {@code ..} component is refused outright rather than resolved: no honest layer needs it.
     */
    static List<String> components(String entryName) {
        List<String> parts = new ArrayList<>();
        for (String part : entryName.split("/")) {
            if (part.equals("..")) {
                throw new BerthException("layer entry \"" + entryName + "\" has a '..' component");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** The directory an entry goes into, creating missing directories (0755) on the way. */
    Path parentFor(List<String> parts, String entryName) throws IOException {
        Path dir = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            dir = dir.resolve(part);
            BasicFileAttributes attributes = attributesOrNull(dir);
            if (attributes == null) {
                Files.createDirectory(dir);
            } else {
                requireRealDirectory(attributes, dir, entryName);
            }
        }
        return dir;
    }

    /** An existing entry of this layer (hard link targets), reached without passing through a symlink. */
    Path existing(List<String> parts, String entryName) throws IOException {
        Path path = root;
        for (int i = 0; i < parts.size(); i++) {
            path = path.resolve(parts.get(i));
            BasicFileAttributes attributes = attributesOrNull(path);
            if (attributes == null) {
                throw new BerthException("layer entry \"" + entryName + "\" is not in this layer");
            }
            if (i < parts.size() - 1) {
                requireRealDirectory(attributes, path, entryName);
            }
        }
        return path;
    }

    private void requireRealDirectory(BasicFileAttributes attributes, Path dir, String entryName) {
        if (attributes.isSymbolicLink()) {
            throw new BerthException("layer entry \"" + entryName + "\" goes through the symlink "
                    + root.relativize(dir) + "; refusing to write outside the layer");
        }
        if (!attributes.isDirectory()) {
            throw new BerthException("layer entry \"" + entryName + "\" is below " + root.relativize(dir)
                    + ", which is not a directory");
        }
    }

    static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
