package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatchTest {

    @TempDir
    Path dir;

    @Test
    void wakesWhenAFileIsRenamedIntoPlace() throws Exception {
        Path pid = dir.resolve("pid");
        AtomicInteger checks = new AtomicInteger();
        try (DirectoryWatch watch = new DirectoryWatch(dir)) {
            Thread writer = new Thread(() -> {
                try {
                    Thread.sleep(150);
                    Files.move(Files.writeString(dir.resolve(".pid"), "42"), pid, StandardCopyOption.ATOMIC_MOVE);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            long start = System.nanoTime();
            assertTrue(watch.await(() -> checks.incrementAndGet() > 0 && Files.exists(pid), Duration.ofSeconds(10)));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            writer.join();
            assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
        }
        assertTrue(checks.get() < 20, "looked " + checks.get() + " times; a poll every millisecond would look ~150 times");
    }

    @Test
    void watchesSeveralDirectories() throws Exception {
        Path other = Files.createDirectory(dir.resolve("exits"));
        try (DirectoryWatch watch = new DirectoryWatch(dir, other)) {
            new Thread(() -> {
                try {
                    Thread.sleep(50);
                    Files.writeString(other.resolve("c1"), "0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            assertTrue(watch.await(() -> Files.exists(other.resolve("c1")), Duration.ofSeconds(10)));
        }
    }

    @Test
    void givesUpAtTheTimeout() {
        try (DirectoryWatch watch = new DirectoryWatch(dir)) {
            long start = System.nanoTime();
            assertFalse(watch.await(() -> false, Duration.ofMillis(250)));
            assertTrue(System.nanoTime() - start >= 250_000_000L);
        }
    }

    @Test
    void passesOnWhatTheCheckThrows() {
        try (DirectoryWatch watch = new DirectoryWatch(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> watch.await(() -> {
                throw new IllegalStateException("runc failed");
            }, Duration.ofSeconds(1)));
            assertEquals("runc failed", e.getMessage());
        }
    }
}
