package dev.berth.net.cni;

import dev.berth.core.BerthException;
import dev.berth.store.AtomicFiles;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each pod's network was made with, as libcni's cache keeps it ({@code <dir>/<pod id>.json}): the network config
 * list as used, the call's arguments and the ADD result. DEL then needs nothing else: it works after a crash and after
 * the config on disk changed. Written before the first plugin runs and again after each, so a crash in the middle of
 * an ADD leaves what undoes it.
 */
final class CniCache {

    /**
     * @param config         the network config list used for ADD
     * @param runtimeConfig  the capability arguments (e.g. portMappings) given to plugins that declare them
     * @param result         the ADD result, or the result so far while ADD is under way (or was cut short); null
     *                       before the first plugin's
     */
    record Entry(String podId, String netns, String ifName, String args, ObjectNode config, ObjectNode runtimeConfig,
                 JsonNode result) {

        Entry withResult(JsonNode added) {
            return new Entry(podId, netns, ifName, args, config, runtimeConfig, added);
        }
    }

    private final Path dir;

    CniCache(Path dir) {
        this.dir = dir;
    }

    void write(Entry entry) {
        JsonFiles.write(file(entry.podId()), entry);
    }

    Optional<Entry> read(String podId) {
        return JsonFiles.read(file(podId), Entry.class);
    }

    void delete(String podId) {
        AtomicFiles.delete(file(podId));
    }

    /** The pods with an entry, by id. */
    List<String> podIds() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path file(String podId) {
        if (!podId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("pod id must be [A-Za-z0-9_.-]: " + podId);
        }
        return dir.resolve(podId + ".json");
    }
}
