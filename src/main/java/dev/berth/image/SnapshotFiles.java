package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.store.AtomicFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The small JSON files next to snapshots: a layer's {@link SnapshotInfo}, and which layers a container uses. */
final class SnapshotFiles {

    static final String METADATA = "metadata.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private SnapshotFiles() {}

    static void writeInfo(Path dir, SnapshotInfo info) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("chainId", info.chainId().toString());
        json.put("parent", info.parent() == null ? null : info.parent().toString());
        json.put("diffId", info.diffId().toString());
        json.put("size", info.size());
        json.put("created", info.created().toString());
        AtomicFiles.write(dir.resolve(METADATA), JSON.writeValueAsBytes(json));
    }

    static SnapshotInfo readInfo(Path dir) {
        Map<String, Object> json = read(dir);
        try {
            Object parent = json.get("parent");
            return new SnapshotInfo(Digest.parse((String) json.get("chainId")),
                    parent == null ? null : Digest.parse((String) parent), Digest.parse((String) json.get("diffId")),
                    ((Number) json.get("size")).longValue(), Instant.parse((String) json.get("created")));
        } catch (RuntimeException e) {
            throw new BerthException(dir.resolve(METADATA) + ": corrupt snapshot metadata (" + e.getMessage() + ")", e);
        }
    }

    /** An active (container) snapshot records its top layer, so prune never removes layers a container runs on. */
    static void writeActive(Path dir, Digest top) {
        AtomicFiles.write(dir.resolve(METADATA), JSON.writeValueAsBytes(Map.of("parent", top.toString())));
    }

    static Digest readActiveParent(Path dir) {
        try {
            return Digest.parse((String) read(dir).get("parent"));
        } catch (RuntimeException e) {
            throw new BerthException(dir.resolve(METADATA) + ": corrupt snapshot metadata (" + e.getMessage() + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path dir) {
        try {
            return JSON.readValue(dir.resolve(METADATA).toFile(), Map.class);
        } catch (JacksonException e) {
            throw new BerthException(dir.resolve(METADATA) + ": unreadable snapshot metadata (" + e.getMessage() + ")", e);
        }
    }
}
