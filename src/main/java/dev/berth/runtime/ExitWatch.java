package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;

/**
 * Tells of container exits as they happen: conmon writes a file named after the container into the exits directory
 * once it has reaped the container's process, and this watches that directory through inotify (a
 * {@link WatchService}) on a thread of its own. Costs nothing while no container exits.
 */
public final class ExitWatch implements AutoCloseable {

    private final WatchService watcher;
    private final Thread thread;

    /**
     * Starts watching; {@code onExit} gets the id of each container whose exit file appears or changes, or null when
     * events were lost (the kernel's queue overflowed): then any container may have exited.
     */
    public ExitWatch(RuntimeLayout layout, Consumer<String> onExit) {
        Path exits = layout.exits();
        try {
            Files.createDirectories(exits);
            watcher = FileSystems.getDefault().newWatchService();
            exits.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new BerthException("cannot watch " + exits + ": " + e.getMessage(), e);
        }
        thread = new Thread(() -> deliver(onExit), "berth-exit-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void deliver(Consumer<String> onExit) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        onExit.accept(null);
                    } else if (event.context() instanceof Path name && !name.toString().startsWith(".")) {
                        onExit.accept(name.toString()); // conmon writes a hidden temp file, then renames it into place
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: nothing more to tell
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            // the inotify descriptor is gone either way
        }
    }
}
