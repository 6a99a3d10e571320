package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.store.FileTrees;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a configMap or secret volume's files as the kubelet's atomic writer lays them out: every key (or only
 * {@code items}: key, path, own mode), {@code defaultMode} otherwise (0644), in a fresh timestamped directory
 * {@code ..<time>}; {@code ..data} is a link to it, swapped by one rename, and each top-level path is a link through
 * {@code ..data}. A reader sees the old files or the new, never a mix; nothing is ever written through a link, and a
 * path that would leave the volume is refused. With an {@code fsGroup}, that group owns the files and may read them.
 */
final class ProjectedFiles {

    static final int DEFAULT_MODE = 0644;
    static final String DATA = "..data";

    private ProjectedFiles() {}

    static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode, Long fsGroup) {
        write(dir, files(data, items, defaultMode == null ? DEFAULT_MODE : defaultMode), fsGroup);
    }

    /** Writes {@code files}, by relative path, as the new content of the volume. */
    static void write(Path dir, Map<String, FileContent> files, Long fsGroup) {
        files.keySet().forEach(ProjectedFiles::checked);
        try {
            Files.createDirectories(dir);
            Path version = dir.resolve(".." + Instant.now().toString().replace(':', '_'));
            Files.createDirectory(version); // fails if it exists: never a directory someone else made
            for (Map.Entry<String, FileContent> f : files.entrySet()) {
                Path target = version.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue().bytes());
                Files.setPosixFilePermissions(target, permissions(f.getValue().mode()));
                if (fsGroup != null) {
                    VolumeOwnership.apply(target, fsGroup, VolumeOwnership.READ_ONLY_FILE);
                }
            }
            Path previous = Files.isSymbolicLink(dir.resolve(DATA)) ? Files.readSymbolicLink(dir.resolve(DATA)) : null;
            Path swap = dir.resolve(DATA + "_tmp");
            Files.deleteIfExists(swap);
            Files.createSymbolicLink(swap, version.getFileName());
            Files.move(swap, dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            link(dir, files);
            if (previous != null && !previous.equals(version.getFileName())) {
                FileTrees.deleteRecursively(dir.resolve(previous.getFileName()));
            }
        } catch (IOException e) {
            throw new BerthException("cannot write volume files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Each top-level name of the files, as a link through {@code ..data}; names no longer projected go. */
    private static void link(Path dir, Map<String, FileContent> files) throws IOException {
        Set<String> top = new java.util.HashSet<>();
        files.keySet().forEach(path -> top.add(path.split("/")[0]));
        for (String name : top) {
            Path link = dir.resolve(name);
            try {
                Files.createSymbolicLink(link, Path.of(DATA, name));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isSymbolicLink(link)) {
                    throw new BerthException("volume path \"" + name + "\" is in the way: not a link this writer made");
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !top.contains(name) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    record FileContent(byte[] bytes, int mode) {}

    /** The files of a ConfigMap's or Secret's {@code data}: every key, or only {@code items}. */
    static Map<String, FileContent> files(Map<String, byte[]> data, List<KeyToPath> items, int mode) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((key, value) -> files.put(checked(key), new FileContent(value, mode)));
            return files;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                throw new BerthException("volume item key \"" + item.getKey() + "\" not found");
            }
            files.put(checked(item.getPath()), new FileContent(value, item.getMode() == null ? mode : item.getMode()));
        }
        return files;
    }

    /** A relative path of plain names: no '..', no '.', nothing absolute, nothing starting with '..'. */
    private static String checked(String relative) {
        List<String> parts = relative == null ? List.of() : List.of(relative.split("/"));
        boolean bad = parts.isEmpty() || relative.startsWith("/")
                || parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.startsWith(".."));
        if (bad) {
            throw new BerthException("volume path \"" + relative + "\" must stay inside the volume");
        }
        return relative;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
