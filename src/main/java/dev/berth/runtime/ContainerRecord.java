package dev.berth.runtime;

import dev.berth.core.BerthException;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What berth writes before a container exists ({@code <bundle>/state.json}): enough to find, stop and clean it up
 * after a crash or restart, without the spec.
 *
 * @param stateRoot the state root whose node made the container, as the kubelet labels its containers: several roots
 *                  may share one run root, and a node removes as strays only the containers it made itself. Null in
 *                  a record an older berth wrote
 */
record ContainerRecord(String id, String cgroupPath, Path logPath, Instant createdAt, Path stateRoot) {

    static final String FILE = "state.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    void write(Path bundle) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("cgroupPath", cgroupPath);
        json.put("logPath", logPath.toString());
        json.put("createdAt", createdAt.toString());
        json.put("stateRoot", stateRoot.toString());
        AtomicFiles.write(bundle.resolve(FILE), JSON.writeValueAsBytes(json));
    }

    /** The record in {@code bundle}; empty when there is none (never written, or being removed). */
    static Optional<ContainerRecord> read(Path bundle) {
        Path file = bundle.resolve(FILE);
        try {
            JsonNode json = JSON.readTree(Files.readString(file));
            JsonNode stateRoot = json.get("stateRoot");
            return Optional.of(new ContainerRecord(json.get("id").asString(), json.get("cgroupPath").asString(),
                    Path.of(json.get("logPath").asString()), Instant.parse(json.get("createdAt").asString()),
                    stateRoot == null ? null : Path.of(stateRoot.asString())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw new BerthException(file + ": corrupt container record (" + e.getMessage() + ")", e);
        }
    }
}
