package dev.berth.sync;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One apply (or watch) per state root at a time; the kernel drops the lock if berth is killed. */
public final class ApplyLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private ApplyLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static ApplyLock acquire(Path root) {
        Path file = root.resolve("apply.lock");
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process: as busy as if another one held it
            }
            if (lock == null) {
                channel.close();
                throw new BerthException("another berth apply or watch is working on " + root + " (" + file + " is locked)");
            }
            return new ApplyLock(channel, lock);
        } catch (IOException e) {
            throw new BerthException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new BerthException("cannot unlock: " + e.getMessage(), e);
        }
    }
}
