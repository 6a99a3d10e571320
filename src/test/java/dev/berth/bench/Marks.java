package dev.berth.bench;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A directory that containers touch files in once they run, waited on with inotify rather than by polling. */
final class Marks {

    private final Path dir;

    Marks(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Returns as soon as every named file exists. */
    void await(Collection<String> names, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            List<String> missing = new ArrayList<>(names);
            while (true) {
                missing.removeIf(name -> Files.exists(dir.resolve(name))); // after registering: no event is missed
                if (missing.isEmpty()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watcher.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    throw new IllegalStateException("not running after " + timeout + ": " + missing);
                }
                key.pollEvents();
                key.reset();
            }
        }
    }
}
