package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What berth writes about a pod before it creates anything for it ({@code pods/ID/pod.json}): enough to find and
 * remove every container, mount and namespace of the pod after a crash.
 *
 * @param containers runtime ids of the pod's containers, init containers first
 */
record PodRecord(String id, String namespace, String name, List<String> containers, Instant createdAt) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String FILE = "pod.json";

    void write(Path podDir) {
        Map<String, Object> json = Map.of("id", id, "namespace", namespace, "name", name, "containers", containers,
                "createdAt", createdAt.toString());
        AtomicFiles.write(podDir.resolve(FILE), JSON.writeValueAsBytes(json));
    }

    @SuppressWarnings("unchecked")
    static Optional<PodRecord> read(Path podDir) {
        Path file = podDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JSON.readValue(Files.readAllBytes(file), Map.class);
            return Optional.of(new PodRecord((String) json.get("id"), (String) json.get("namespace"),
                    (String) json.get("name"), (List<String>) json.get("containers"),
                    Instant.parse((String) json.get("createdAt"))));
        } catch (IOException | RuntimeException e) { // Jackson's and the casts' failures are unchecked
            throw new BerthException(file + ": corrupt pod record (" + e.getMessage() + ")", e);
        }
    }
}
