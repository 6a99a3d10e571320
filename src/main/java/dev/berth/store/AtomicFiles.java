package dev.berth.store;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file updates: a reader sees the old content or the new one, never a torn mix, whatever instant the
 * process dies at (write a temp file, fsync, rename over, fsync the directory).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        // a temp name of its own: two threads writing one file (two pulls of one image) must not share it
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new BerthException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames to a hidden name first, so a crash mid-delete never leaves a half-removed file that looks live. */
    public static void delete(Path target) {
        Path hidden = target.resolveSibling("." + target.getFileName() + ".deleted");
        try {
            if (Files.exists(target)) {
                Files.move(target, hidden, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(target.toAbsolutePath().getParent());
            }
            Files.deleteIfExists(hidden);
        } catch (IOException e) {
            throw new BerthException("cannot delete " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames a file or directory in one step (rename(2)), then makes the rename durable. */
    public static void rename(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new BerthException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
