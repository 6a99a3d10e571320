package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBatchTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryFileAndEmpties() {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 40; i++) {
            batch.add(dir.resolve("d" + i % 3).resolve("f" + i + ".json"), Map.of("n", i));
        }
        batch.write();
        for (int i = 0; i < 40; i++) {
            assertEquals(Map.of("n", i), JsonFiles.read(dir.resolve("d" + i % 3).resolve("f" + i + ".json"), Map.class)
                    .orElseThrow());
        }
        batch.write(); // nothing left to write
    }

    @Test
    void theLastAddForAFileWins() {
        WriteBatch batch = new WriteBatch();
        batch.add(dir.resolve("f.json"), Map.of("n", 1));
        batch.add(dir.resolve("f.json"), Map.of("n", 2));
        batch.write();
        assertEquals(Map.of("n", 2), JsonFiles.read(dir.resolve("f.json"), Map.class).orElseThrow());
    }

    @Test
    void aFailureComesOnceTheOthersAreWritten() throws Exception {
        Files.writeString(dir.resolve("not-a-dir"), "x");
        WriteBatch batch = new WriteBatch();
        batch.add(dir.resolve("a.json"), Map.of("n", 1));
        batch.add(dir.resolve("not-a-dir").resolve("b.json"), Map.of("n", 2));
        batch.add(dir.resolve("c.json"), Map.of("n", 3));
        assertThrows(BerthException.class, batch::write);
        assertTrue(Files.exists(dir.resolve("a.json")));
        assertTrue(Files.exists(dir.resolve("c.json")));
    }
}
