package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectRecordsTest {

    @TempDir
    Path tmp;

    private static ObjectRecord record(String kind, String namespace, String name) {
        return new ObjectRecord(new ResourceKey(kind, namespace, name), "v1", "sha256:00",
                new Revision("0123456789abcdef0123456789abcdef01234567"), Instant.parse("2026-03-01T10:00:00Z"), true,
                Map.of(), Map.of());
    }

    @Test
    void readsEveryRecordInOrderAndSkipsHiddenFiles() throws Exception {
        ObjectRecords records = new ObjectRecords(new StateLayout(tmp));
        records.write(record("Pod", "shop", "web"));
        records.write(record("ConfigMap", "default", "b"));
        records.write(record("ConfigMap", "default", "a"));
        Files.writeString(tmp.resolve("objects/Pod/shop/.web.json.tmp"), "half written");

        List<String> names = records.readAll().stream().map(r -> r.key().kind() + "/" + r.key().name()).toList();

        assertEquals(List.of("ConfigMap/a", "ConfigMap/b", "Pod/web"), names);
    }

    /** A status request reads all records while a pass writes and deletes them (it failed with a 500). */
    @Test
    void readingWhileRecordsAreWrittenAndDeletedNeverFails() throws Exception {
        ObjectRecords records = new ObjectRecords(new StateLayout(tmp));
        records.write(record("Pod", "default", "kept"));
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                records.write(record("Pod", "churn", "p" + i % 5));
                records.delete(new ResourceKey("Pod", "churn", "p" + (i + 2) % 5));
            }
        });
        try {
            for (int i = 0; i < 2_000; i++) {
                assertTrue(records.readAll().stream().anyMatch(r -> r.key().name().equals("kept")));
            }
        } finally {
            stop.set(true);
            churn.get();
        }
    }
}
