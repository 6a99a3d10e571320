package dev.berth.image;

import com.sun.jna.LastErrorException;
import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.core.Hashing;
import dev.berth.store.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes one layer tar into an empty directory, the way containerd's overlay snapshotter stores it: OCI
 * whiteouts become overlayfs ones ({@code .wh.NAME} a 0/0 character device, {@code .wh..wh..opq} the
 * {@code trusted.overlay.opaque} xattr). The uncompressed stream must hash to the layer's diffId; on any error the
 * directory is removed, so a caller finds either a whole layer or nothing.
 */
public final class LayerUnpacker {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final boolean root;

    /** Owners are kept only when running as root: anyone else cannot chown, and whiteouts need root anyway. */
    public LayerUnpacker() {
        this(LinuxCalls.isRoot());
    }

    LayerUnpacker(boolean root) {
        this.root = root;
    }

    /** Unpacks into {@code target} (created; must not exist); returns the bytes of file content written. */
    public long unpack(Layer layer, Path blob, Path target) {
        try (InputStream in = Files.newInputStream(blob)) {
            return unpack(layer, in, target);
        } catch (IOException e) {
            throw new BerthException("cannot read layer " + layer.digest() + " from " + blob + ": " + e.getMessage(), e);
        }
    }

    public long unpack(Layer layer, InputStream blob, Path target) {
        try {
            Files.createDirectory(target);
        } catch (IOException e) {
            throw new BerthException("cannot create " + target + ": " + e.getMessage(), e);
        }
        try {
            return unpackInto(layer, blob, new ContainedTree(target));
        } catch (IOException | RuntimeException e) {
            removeQuietly(target, e);
            if (e instanceof BerthException) {
                throw (BerthException) e;
            }
            throw new BerthException("cannot unpack layer " + layer.digest() + ": " + e.getMessage(), e);
        }
    }

    private long unpackInto(Layer layer, InputStream blob, ContainedTree tree) throws IOException {
        MessageDigest sha256 = Hashing.sha256();
        DigestInputStream uncompressed = new DigestInputStream(LayerCompression.decompress(layer.mediaType(), blob), sha256);
        EntryMetadata metadata = new EntryMetadata(root);
        // Directory modes and times wait until the end: a 0555 directory must still take its children, and
        // every child written would bump the directory's mtime.
        Map<Path, TarArchiveEntry> directories = new LinkedHashMap<>();
        long written = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed);
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            written += write(entry, tar, tree, metadata, directories);
        }
        uncompressed.transferTo(OutputStream.nullOutputStream()); // the tar's trailing blocks count for the diffId
        Digest actual = Digest.sha256(sha256.digest());
        if (!actual.equals(layer.diffId())) {
            throw new BerthException("layer " + layer.digest() + " does not match its diffId: expected "
                    + layer.diffId() + ", got " + actual);
        }
        List<Path> deepestFirst = directories.keySet().stream()
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        for (Path dir : deepestFirst) {
            metadata.apply(dir, directories.get(dir));
        }
        return written;
    }

    private long write(TarArchiveEntry entry, InputStream content, ContainedTree tree, EntryMetadata metadata,
                       Map<Path, TarArchiveEntry> directories) throws IOException {
        String name = entry.getName();
        List<String> parts = ContainedTree.components(name);
        if (parts.isEmpty()) {
            if (entry.isDirectory()) {
                directories.put(tree.root(), entry); // "./": the mode of the container's "/"
            }
            return 0;
        }
        Path parent = tree.parentFor(parts, name);
        String base = parts.get(parts.size() - 1);
        if (base.startsWith(WHITEOUT)) {
            writeWhiteout(parent, base, name, directories);
            return 0;
        }
        Path path = parent.resolve(base);
        if (entry.isDirectory()) {
            BasicFileAttributes existing = ContainedTree.attributesOrNull(path);
            if (existing == null || !existing.isDirectory()) {
                replace(path, directories);
                Files.createDirectory(path);
            }
            metadata.applyXattrs(path, entry);
            directories.put(path, entry);
            return 0;
        }
        replace(path, directories);
        long written = 0;
        if (entry.isLink()) {
            Path target = tree.existing(ContainedTree.components(entry.getLinkName()), entry.getLinkName());
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException("layer entry \"" + name + "\" is a hard link to a directory");
            }
            Files.createLink(path, target);
            return 0; // shares the target's inode, and with it owner, mode and times
        } else if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw new BerthException("layer entry \"" + name + "\": device nodes are not allowed in layers");
        } else if (entry.isFIFO()) {
            mknod(path, LinuxCalls.S_IFIFO | 0600, name);
        } else if (isRegularFile(entry)) {
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                written = content.transferTo(out);
            }
        } else {
            throw new BerthException("layer entry \"" + name + "\" has unsupported type '" + (char) entry.getLinkFlag() + "'");
        }
        metadata.apply(path, entry);
        return written;
    }

    private void writeWhiteout(Path parent, String base, String name, Map<Path, TarArchiveEntry> directories)
            throws IOException {
        if (base.equals(OPAQUE)) {
            // The parent exists now (parentFor made it); lower layers' content of it is hidden.
            try {
                LinuxCalls.lsetxattr(parent, "trusted.overlay.opaque", new byte[] {'y'});
            } catch (LastErrorException e) {
                throw new BerthException("cannot mark " + name + " opaque (trusted.overlay.opaque needs root): errno "
                        + e.getErrorCode(), e);
            }
            return;
        }
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.startsWith(WHITEOUT)) {
            return; // other ".wh..wh." entries are aufs bookkeeping (e.g. .wh..wh.plnk) that overlay has no use for
        }
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new BerthException("layer entry \"" + name + "\" is not a valid whiteout");
        }
        Path path = parent.resolve(hidden);
        replace(path, directories);
        mknod(path, LinuxCalls.S_IFCHR, name); // device 0/0: what overlayfs reads as "deleted in a lower layer"
    }

    /** Stricter than {@link TarArchiveEntry#isFile}, which calls every type it does not know (e.g. 'V') a file. */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG
                || entry.isSparse(); // the stream fills the holes in
    }

    /** A later entry replaces an earlier one of the same name, and with it any directory settings still pending. */
    private static void replace(Path path, Map<Path, TarArchiveEntry> directories) throws IOException {
        if (ContainedTree.attributesOrNull(path) != null) {
            directories.keySet().removeIf(dir -> dir.startsWith(path));
            FileTrees.deleteRecursively(path);
        }
    }

    private static void mknod(Path path, int mode, String name) {
        try {
            LinuxCalls.mknod(path, mode, 0);
        } catch (LastErrorException e) {
            throw new BerthException("cannot create " + name + " (mknod needs root for whiteouts): errno "
                    + e.getErrorCode(), e);
        }
    }


    private static void removeQuietly(Path target, Exception cause) {
        try {
            FileTrees.deleteRecursively(target);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
