package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sync.ApplyLock;
import dev.berth.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesPruneCommandTest {

    @TempDir
    Path root;

    @Test
    void pruneWaitsForNoOneAndIsRefusedWhileAnApplyOrWatchHoldsTheNode() {
        try (ApplyLock apply = ApplyLock.acquire(root)) {
            CliRun refused = CliRun.of("images", "prune", "--root", root.toString());
            assertEquals(ExitCodes.ERROR, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains("another berth apply or watch is working on " + root), refused::toString);
        }
        CliRun pruned = CliRun.of("images", "prune", "--root", root.toString());
        assertEquals(ExitCodes.OK, pruned.exitCode(), pruned::toString);
        assertTrue(pruned.out().contains("freed 0 blobs"), pruned::toString);
    }
}
