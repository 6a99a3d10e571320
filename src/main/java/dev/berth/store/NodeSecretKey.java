package dev.berth.store;

import dev.berth.core.BerthException;
import dev.berth.manifest.SecretDigest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The node's key for Secret digests: 32 random bytes in {@code <root>/secret-digest.key}, mode 0600, made on first
 * use and kept, so that digests recorded before a restart still compare after it.
 */
public final class NodeSecretKey {

    private NodeSecretKey() {}

    /** The node's digest, making its key if there is none yet; fails if the key can be neither read nor made. */
    public static SecretDigest require(StateLayout layout) {
        Path file = layout.secretDigestKey();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return SecretDigest.keyed(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new BerthException("cannot read or make the node's secret digest key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * For a plan against a state root: the node's digest, or, when this user may not read the key (a copy of a
     * node's state, a plan as another user), one that leaves Secret values uncompared.
     */
    public static SecretDigest forPlanning(StateLayout layout) {
        try {
            return require(layout);
        } catch (BerthException e) {
            if (e.getCause() instanceof AccessDeniedException || !Files.isWritable(layout.root())) {
                return SecretDigest.notCompared();
            }
            throw e;
        }
    }

    /** Written aside, then linked into place: a process racing this one finds the key whole or not at all. */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".secret-digest", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(SecretDigest.newKey()));
                channel.force(true); // a crash leaves no empty key behind the link
            }
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
            // made by another process meanwhile: use theirs
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
