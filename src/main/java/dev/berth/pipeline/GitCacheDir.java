package dev.berth.pipeline;

import dev.berth.core.BerthException;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where bare repository caches go: under the node's state root when it exists and is writable (so fetches are
 * incremental), else a temporary directory removed afterwards (a CI runner has no state root).
 */
public final class GitCacheDir implements AutoCloseable {

    private final Path path;
    private final boolean temporary;

    private GitCacheDir(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    public static GitCacheDir forRoot(Path root) {
        if (Files.isDirectory(root) && Files.isWritable(root)) {
            return new GitCacheDir(new StateLayout(root).gitCache(), false);
        }
        try {
            return new GitCacheDir(Files.createTempDirectory("berth-git-"), true);
        } catch (IOException e) {
            throw new BerthException("cannot create a temporary git cache: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
