package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.core.Mount;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Overlay snapshots, after containerd's: one read-only directory per layer, keyed by chain id and shared by every
 * image that has the same layers below it ({@code snapshots/HEX/fs} plus {@code metadata.json}), and one
 * {@code upper}/{@code work} pair per container ({@code snapshots/active/KEY}). Hands back mounts; the runtime
 * performs them. Everything appears by an atomic rename of a finished hidden directory and leaves by a rename to a
 * hidden name, so a crash leaves only hidden leftovers, which {@link #open} removes.
 */
public final class Snapshotter {

    private static final Pattern CHAIN_DIR = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTAINER_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String FS = "fs";

    private final Path root;
    private final Path active;
    private final LayerUnpacker unpacker;

    private Snapshotter(Path root, LayerUnpacker unpacker) {
        this.root = root;
        this.active = root.resolve("active");
        this.unpacker = unpacker;
    }

    /** Creates the directories if needed and removes what an interrupted unpack, prepare or delete left behind. */
    public static Snapshotter open(StateLayout layout, LayerUnpacker unpacker) {
        Path root = layout.snapshots().toAbsolutePath();
        if (root.toString().contains(":") || root.toString().contains(",")) {
            throw new BerthException("snapshot root " + root + " cannot hold ':' or ',' (overlay option separators)");
        }
        Snapshotter snapshotter = new Snapshotter(root, unpacker);
        try {
            Files.createDirectories(snapshotter.active);
            removeHiddenLeftovers(root);
            removeHiddenLeftovers(snapshotter.active);
        } catch (IOException e) {
            throw new BerthException("cannot open snapshots in " + root + ": " + e.getMessage(), e);
        }
        return snapshotter;
    }

    /** The chain ids of an image's layers as "sha256:..." strings, bottom first. */
    public Set<String> chainIds(Image image) {
        return ChainIds.of(image).stream().map(Digest::toString).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Makes sure every layer of the image is unpacked, skipping those already there (from this image or another
     * sharing them); returns their {@code fs} directories bottom first.
     */
    public List<Path> unpack(Image image, Function<Digest, Path> blobPath) {
        List<Digest> chain = ChainIds.of(image);
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Path dir = layerDir(chain.get(i));
            if (!Files.isDirectory(dir)) {
                Layer layer = image.layers().get(i);
                unpackLayer(layer, blobPath.apply(layer.digest()), chain.get(i), i == 0 ? null : chain.get(i - 1), dir);
            }
            lowers.add(dir.resolve(FS));
        }
        return lowers;
    }

    private void unpackLayer(Layer layer, Path blob, Digest chainId, Digest parent, Path dir) {
        Path temp = createTempDir(root);
        try {
            long size = unpacker.unpack(layer, blob, temp.resolve(FS));
            SnapshotFiles.writeInfo(temp, new SnapshotInfo(chainId, parent, layer.diffId(), size, Instant.now()));
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            if (e instanceof IOException && Files.isDirectory(dir)) {
                return; // unpacked meanwhile by another pod's start (rename(2) says ENOTEMPTY): theirs is as good
            }
            throw e instanceof BerthException b ? b
                    : new BerthException("cannot unpack layer " + layer.digest() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A fresh writable layer for one container over the image's (already unpacked) layers. Overlay takes the
     * topmost lower first. Mount options must fit in one page (4096 bytes), which limits how many layers an
     * image may have here (roughly 45 with the default root); containerd shortens the paths with relative
     * lowerdirs, a step left for when images that deep show up.
     */
    public List<Mount> prepare(String containerKey, Image image) {
        List<Digest> chain = ChainIds.of(image);
        if (chain.isEmpty()) {
            throw new BerthException("image " + image.name() + " has no layers");
        }
        List<String> lowers = new ArrayList<>();
        for (Digest chainId : chain) {
            Path fs = layerDir(chainId).resolve(FS);
            if (!Files.isDirectory(fs)) {
                throw new BerthException("layer " + chainId + " of image " + image.name() + " is not unpacked");
            }
            lowers.add(0, fs.toString());
        }
        Path dir = activeDir(containerKey);
        if (Files.exists(dir)) {
            throw new BerthException("a snapshot for container " + containerKey + " already exists");
        }
        Path temp = createTempDir(active);
        try {
            Files.createDirectory(temp.resolve("upper"));
            Files.createDirectory(temp.resolve("work"));
            SnapshotFiles.writeActive(temp, chain.get(chain.size() - 1));
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new BerthException("cannot prepare snapshot for container " + containerKey + ": " + e.getMessage(), e);
        }
        return List.of(new Mount("overlay", "overlay", List.of("lowerdir=" + String.join(":", lowers),
                "upperdir=" + dir.resolve("upper"), "workdir=" + dir.resolve("work"))));
    }

    /**
     * A file of the image as its container would see it (e.g. {@code etc/passwd}), read from its unpacked layers, top
     * first; empty when no layer has it or a layer above deleted it. Links are not followed: the layers hold what an
     * image author wrote, and a link could point at the host's own file. Opaque directories are not looked at.
     *
     * @throws BerthException when a part of the path is a symbolic link, or the file is larger than {@code maxBytes}
     */
    public Optional<byte[]> readFile(Image image, String path, long maxBytes) {
        List<Digest> chain = ChainIds.of(image);
        String[] parts = path.split("/");
        for (int layer = chain.size() - 1; layer >= 0; layer--) {
            Path at = layerDir(chain.get(layer)).resolve(FS);
            for (int i = 0; i < parts.length; i++) {
                at = at.resolve(parts[i]);
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(at, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    break; // not in this layer: look below
                }
                if (attributes.isSymbolicLink()) {
                    throw new BerthException("image " + image.name() + ": /" + path + " goes through a symbolic link ("
                            + String.join("/", Arrays.copyOf(parts, i + 1)) + "), which berth does not follow");
                }
                if (attributes.isOther() || (i < parts.length - 1 && !attributes.isDirectory())) {
                    return Optional.empty(); // a whiteout, or a file where a directory was: deleted above
                }
                if (i == parts.length - 1) {
                    if (!attributes.isRegularFile()) {
                        return Optional.empty();
                    }
                    if (attributes.size() > maxBytes) {
                        throw new BerthException("image " + image.name() + ": /" + path + " is larger than " + maxBytes
                                + " bytes");
                    }
                    try {
                        return Optional.of(Files.readAllBytes(at));
                    } catch (IOException e) {
                        throw new BerthException("image " + image.name() + ": cannot read /" + path + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Drops a container's writable layer (it must be unmounted); a missing one is not an error. */
    public void remove(String containerKey) {
        Path dir = activeDir(containerKey);
        if (Files.exists(dir)) {
            removeViaHiddenName(dir);
        }
    }

    /** Every unpacked layer, by chain id. */
    public List<SnapshotInfo> list() {
        List<SnapshotInfo> infos = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (CHAIN_DIR.matcher(dir.getFileName().toString()).matches()) {
                    infos.add(SnapshotFiles.readInfo(dir));
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot list snapshots in " + root + ": " + e.getMessage(), e);
        }
        infos.sort(Comparator.comparing(info -> info.chainId().toString()));
        return infos;
    }

    /**
     * Removes the layers not needed by {@code keepChainIds}, by a prepared container, or as the parent of
     * either; returns the chain ids removed.
     */
    public List<Digest> prune(Set<String> keepChainIds) {
        Map<Digest, SnapshotInfo> byChainId = list().stream()
                .collect(Collectors.toMap(SnapshotInfo::chainId, Function.identity()));
        Set<Digest> needed = new HashSet<>();
        List<Digest> roots = new ArrayList<>(keepChainIds.stream().map(Digest::parse).toList());
        roots.addAll(activeParents());
        for (Digest chainId : roots) {
            for (Digest at = chainId; at != null && needed.add(at); ) {
                SnapshotInfo info = byChainId.get(at);
                at = info == null ? null : info.parent();
            }
        }
        List<Digest> removed = new ArrayList<>();
        for (Digest chainId : byChainId.keySet()) {
            if (!needed.contains(chainId)) {
                removeViaHiddenName(layerDir(chainId));
                removed.add(chainId);
            }
        }
        removed.sort(Comparator.comparing(Digest::toString));
        return removed;
    }

    private List<Digest> activeParents() {
        List<Digest> parents = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(active)) {
            for (Path dir : dirs) {
                if (!dir.getFileName().toString().startsWith(".")) {
                    parents.add(SnapshotFiles.readActiveParent(dir));
                }
            }
        } catch (IOException e) {
            throw new BerthException("cannot list container snapshots in " + active + ": " + e.getMessage(), e);
        }
        return parents;
    }

    private Path layerDir(Digest chainId) {
        return root.resolve(chainId.hex());
    }

    private Path activeDir(String containerKey) {
        if (containerKey == null || !CONTAINER_KEY.matcher(containerKey).matches()) {
            throw new BerthException("invalid container snapshot key \"" + containerKey + "\"");
        }
        return active.resolve(containerKey);
    }

    private static Path createTempDir(Path parent) {
        try {
            return Files.createTempDirectory(parent, ".tmp-");
        } catch (IOException e) {
            throw new BerthException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Renamed away first, so a crash mid-delete leaves a hidden leftover rather than a half-deleted snapshot. */
    private static void removeViaHiddenName(Path dir) {
        Path hidden = dir.resolveSibling(".deleting-" + dir.getFileName());
        try {
            Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.deleteRecursively(hidden);
        } catch (IOException e) {
            throw new BerthException("cannot remove snapshot " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void removeHiddenLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*")) {
            for (Path leftover : entries) {
                FileTrees.deleteRecursively(leftover);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            // A hidden leftover is harmless: the next open removes it.
        }
    }
}
