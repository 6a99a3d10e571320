package dev.berth.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.List;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Recursive delete that copes with what image layers and containers leave: symlinks (never followed) and
 * read-only directories. A missing tree is fine.
 */
public final class FileTrees {

    private FileTrees() {}

    public static void deleteRecursively(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // A non-root owner cannot unlink inside a 0555 directory; root can, and chmod is harmless then.
                Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
                permissions.addAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
                if (permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.OWNER_READ))) {
                    Files.setPosixFilePermissions(dir, permissions);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Makes {@code dir} (and its parents) and leaves it readable by its owner only: what is below it (secret values,
     * a git cache holding Secret manifests, containers' configuration) is no other host user's to read. A container
     * never reaches its files through these paths, only through mounts, so nothing it runs as is held back.
     */
    public static void privateDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
        } catch (IOException e) {
            throw new dev.berth.core.BerthException("cannot make " + dir + " private: " + e.getMessage(), e);
        }
    }

    /** The directories directly under {@code dir}, hidden ones skipped; none when {@code dir} does not exist. */
    public static List<Path> childDirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new dev.berth.core.BerthException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
