package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    /** Two pulls of one image record it at once: each write has a temp file of its own, and one of them wins whole. */
    @Test
    void threadsWritingOneFileAtOnceEachLeaveItWhole() throws Exception {
        Path file = dir.resolve("image.json");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String content = ("writer " + t + " ").repeat(1000);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String written = Files.readString(file);
        assertTrue(written.matches("(writer \\d )+") && written.length() == 9000, written.substring(0, 40));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temp file left behind");
        }
    }
}
