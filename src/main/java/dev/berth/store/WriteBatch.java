package dev.berth.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State files to write together, each as {@link JsonFiles#write} does (old or new after a crash, on its own), but
 * {@link SideBySide}: for files of which no order matters.
 */
public final class WriteBatch {

    private final Map<Path, Object> files = new LinkedHashMap<>();

    /** Adds {@code value} as the JSON content of {@code file}; a later add for the same file replaces it. */
    public void add(Path file, Object value) {
        files.put(file, value);
    }

    /** Writes every file added and empties the batch; throws the first failure once all writes have ended. */
    public void write() {
        List<Runnable> writes = new ArrayList<>();
        files.forEach((file, value) -> writes.add(() -> JsonFiles.write(file, value)));
        files.clear();
        SideBySide.run(writes);
    }
}
