package dev.berth.node;

import dev.berth.store.JsonFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the node tracks about one pod between passes ({@code pods/ID/status.json}); the containers' own state
 * comes from the runtime each time.
 *
 * @param scheduled  admitted to the node; false while it waits for capacity (then {@code reason} says why)
 * @param started    every container was created and started once; a pod found with false was cut short by a crash
 * @param readySince when every container last became ready; null while not ready
 * @param containers by container name
 */
public record PodState(boolean scheduled, boolean started, String reason, String message, Instant readySince,
                       Map<String, ContainerRun> containers) {

    static final String FILE = "status.json";

    public PodState {
        containers = Map.copyOf(containers);
    }

    public static PodState unscheduled(String reason, String message) {
        return new PodState(false, false, reason, message, null, Map.of());
    }

    public static PodState admitted() {
        return new PodState(true, false, null, null, null, Map.of());
    }

    PodState withContainer(String name, ContainerRun run) {
        Map<String, ContainerRun> next = new LinkedHashMap<>(containers);
        next.put(name, run);
        return new PodState(scheduled, started, reason, message, readySince, next);
    }

    PodState withStarted(boolean started) {
        return new PodState(scheduled, started, reason, message, readySince, containers);
    }

    PodState withReason(String reason, String message) {
        return new PodState(scheduled, started, reason, message, readySince, containers);
    }

    PodState withReadySince(Instant readySince) {
        return new PodState(scheduled, started, reason, message, readySince, containers);
    }

    void write(Path podDir) {
        JsonFiles.write(podDir.resolve(FILE), this);
    }

    public static Optional<PodState> read(Path podDir) {
        return JsonFiles.read(podDir.resolve(FILE), PodState.class);
    }
}
