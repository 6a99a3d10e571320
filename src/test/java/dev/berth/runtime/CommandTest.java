package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program's timeout counted from when its work begins, as an exec probe's is from when its process runs. */
class CommandTest {

    @TempDir
    Path dir;

    /** A slow start (runc on a busy node) does not count against the timeout: 3 s to start, then well within 2 s. */
    @Test
    void theTimeoutCountsFromTheStartNotFromTheLaunch() {
        Path started = dir.resolve("started");
        Command.Result result = Command.run(List.of("sh", "-c", "sleep 3; touch " + started + "; echo done"),
                Duration.ofSeconds(30), () -> Files.exists(started), Duration.ofSeconds(2), () -> { });
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("done\n", result.stdout());
    }

    @Test
    void aProgramPastItsTimeoutOnceStartedIsStoppedAndSaysSo() {
        Path started = dir.resolve("started");
        AtomicBoolean cleanedUp = new AtomicBoolean();
        long launched = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> Command.run(
                List.of("sh", "-c", "touch " + started + "; sleep 30"), Duration.ofSeconds(30),
                () -> Files.exists(started), Duration.ofMillis(500), () -> cleanedUp.set(true)));
        assertTrue(e.getMessage().startsWith("sh did not finish within PT0.5S"), e.getMessage());
        assertTrue(cleanedUp.get(), "onTimeout ran");
        assertTrue(Duration.ofNanos(System.nanoTime() - launched).toSeconds() < 20, "stopped, not waited for");
    }

    @Test
    void aProgramThatNeverStartsIsStoppedAtTheStartLimit() {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        BerthException e = assertThrows(BerthException.class, () -> Command.run(List.of("sleep", "30"),
                Duration.ofMillis(500), () -> false, Duration.ofSeconds(30), () -> cleanedUp.set(true)));
        assertTrue(e.getMessage().startsWith("sleep did not start within PT0.5S"), e.getMessage());
        assertTrue(cleanedUp.get(), "onTimeout ran");
    }

    /** A program that fails before it starts its work (runc with no such command) is not waited on. */
    @Test
    void aProgramThatExitsBeforeStartingReturnsItsResult() {
        Command.Result result = Command.run(List.of("sh", "-c", "echo no such command >&2; exit 127"),
                Duration.ofSeconds(30), () -> false, Duration.ofSeconds(1), () -> { });
        assertEquals(127, result.exitCode());
        assertEquals("no such command\n", result.stderr());
    }
}
