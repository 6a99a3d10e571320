package dev.berth.node;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a configMap or secret volume's files: every key, or only {@code items} (key -> path, own mode), with
 * {@code defaultMode} otherwise (0644, as in Kubernetes). Paths stay inside the volume.
 */
final class ProjectedFiles {

    static final int DEFAULT_MODE = 0644;

    private ProjectedFiles() {}

    static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode) {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        try {
            Files.createDirectories(dir);
            if (items == null || items.isEmpty()) {
                for (Map.Entry<String, byte[]> e : data.entrySet()) {
                    file(dir, e.getKey(), e.getValue(), mode);
                }
                return;
            }
            for (KeyToPath item : items) {
                byte[] value = data.get(item.getKey());
                if (value == null) {
                    throw new BerthException("volume item key \"" + item.getKey() + "\" not found");
                }
                file(dir, item.getPath(), value, item.getMode() == null ? mode : item.getMode());
            }
        } catch (IOException e) {
            throw new BerthException("cannot write volume files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void file(Path dir, String relative, byte[] content, int mode) throws IOException {
        Path target = dir.resolve(relative).normalize();
        if (!target.startsWith(dir) || target.equals(dir) || relative.startsWith("/")) {
            throw new BerthException("volume path \"" + relative + "\" must stay inside the volume");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, content);
        Files.setPosixFilePermissions(target, permissions(mode));
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
