package dev.berth.store;

import dev.berth.core.BerthException;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@link ObjectRecord}s as one JSON file each (format documented in docs/reference.md, "Records on disk"). */
public final class ObjectRecords {

    static final String API_VERSION = "berth.dev/v1";
    static final String KIND = "ObjectRecord";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS) // trees compare with Long, as manifests hold them
            .build();

    private final StateLayout layout;

    public ObjectRecords(StateLayout layout) {
        this.layout = layout;
    }

    public void write(ObjectRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("apiVersion", API_VERSION);
        json.put("kind", KIND);
        json.put("key", Map.of("kind", record.key().kind(), "namespace", record.key().namespace(), "name", record.key().name()));
        json.put("objectApiVersion", record.apiVersion());
        json.put("hash", record.hash());
        json.put("revision", record.revision() == null ? null : record.revision().sha());
        json.put("appliedAt", record.appliedAt().toString());
        json.put("prune", record.prune());
        json.put("object", record.object());
        ownerOnly(layout.objects());
        if (isSecret(record.key())) {
            // kept apart, so the records stay showable and copyable (plan --against state:) with digests only
            ownerOnly(layout.secrets());
            AtomicFiles.write(layout.secret(record.key()), JSON.writeValueAsBytes(record.manifest()));
        } else {
            json.put("manifest", record.manifest());
        }
        AtomicFiles.write(layout.record(record.key()), JSON.writeValueAsBytes(json));
    }

    private static boolean isSecret(ResourceKey key) {
        return key.kind().equals("Secret");
    }

    /** Records hold the applied manifests (Secrets apart): only root may read them, as only root may read etcd. */
    private static void ownerOnly(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new BerthException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public void delete(ResourceKey key) {
        AtomicFiles.delete(layout.record(key));
        if (isSecret(key)) {
            AtomicFiles.delete(layout.secret(key));
        }
    }

    /**
     * Every record under the state root; a missing root means none. The fixed layout is listed, not walked: a walk
     * fails on a temporary file that a write beside it renames away, and a record deleted meanwhile is just gone.
     */
    public List<ObjectRecord> readAll() {
        List<ObjectRecord> records = new ArrayList<>();
        for (Path kind : FileTrees.childDirectories(layout.objects())) {
            for (Path namespace : FileTrees.childDirectories(kind)) {
                for (Path file : recordFiles(namespace)) {
                    contents(file).ifPresent(bytes -> records.add(read(file, bytes)));
                }
            }
        }
        return records;
    }

    private static List<Path> recordFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // the namespace's last record was deleted meanwhile
        } catch (IOException e) {
            throw new BerthException("cannot read state in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes; empty when it was deleted since it was listed. */
    private static Optional<byte[]> contents(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BerthException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private ObjectRecord read(Path file, byte[] bytes) {
        try {
            Map<String, Object> json = JSON.readValue(bytes, Map.class);
            if (!API_VERSION.equals(json.get("apiVersion")) || !KIND.equals(json.get("kind"))) {
                throw new BerthException(file + ": not a " + API_VERSION + " " + KIND);
            }
            Map<String, String> key = (Map<String, String>) json.get("key");
            String revision = (String) json.get("revision");
            ObjectRecord record = new ObjectRecord(new ResourceKey(key.get("kind"), key.get("namespace"), key.get("name")),
                    (String) json.get("objectApiVersion"), (String) json.get("hash"),
                    revision == null ? null : new Revision(revision), Instant.parse((String) json.get("appliedAt")),
                    !Boolean.FALSE.equals(json.get("prune")), (Map<String, Object>) json.get("object"),
                    (Map<String, Object>) json.get("manifest"));
            if (isSecret(record.key()) && Files.isRegularFile(layout.secret(record.key()))) {
                Map<String, Object> manifest = JSON.readValue(layout.secret(record.key()).toFile(), Map.class);
                return new ObjectRecord(record.key(), record.apiVersion(), record.hash(), record.revision(),
                        record.appliedAt(), record.prune(), record.object(), manifest);
            }
            return record;
        } catch (JacksonException | ClassCastException | NullPointerException | IllegalArgumentException
                 | java.time.format.DateTimeParseException e) {
            throw new BerthException(file + ": corrupt state record (" + e.getMessage() + ")", e);
        }
    }
}
