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
 * @param scheduled     admitted to the node; false while it waits for capacity (then {@code reason} says why)
 * @param started       every container was created and started; false on a record found after a crash mid-start
 * @param terminating   being deleted: a crash mid-deletion is finished on the next pass, never undone
 * @param retryAt       when a failed start may be tried again; null when none failed
 * @param startFailures failed starts in a row, for the retry backoff
 * @param readySince    when every container last became ready; null while not ready
 * @param containers    by container name
 */
public record PodState(boolean scheduled, boolean started, boolean terminating, String reason, String message,
                       Instant retryAt, int startFailures, Instant readySince, Map<String, ContainerRun> containers) {

    static final String FILE = "status.json";

    public PodState {
        containers = containers == null ? Map.of() : Map.copyOf(containers);
    }

    public static PodState unscheduled(String reason, String message) {
        return new PodState(false, false, false, reason, message, null, 0, null, Map.of());
    }

    PodState admitted() {
        return new PodState(true, false, false, null, null, null, 0, null, Map.of());
    }

    /** Started with the app containers' {@code runs}; the init containers' runs (their restarts) stay. */
    PodState startedWith(Map<String, ContainerRun> runs) {
        Map<String, ContainerRun> next = new LinkedHashMap<>(containers);
        next.putAll(runs);
        return new PodState(true, true, false, null, null, null, 0, null, next);
    }

    PodState startFailed(String reason, String message, Instant retryAt) {
        return new PodState(true, false, false, reason, message, retryAt, startFailures + 1, null, containers);
    }

    /** Back to "admitted, not started": the pod's containers are gone and it is to be started afresh. */
    PodState restartFromScratch() {
        return new PodState(true, false, false, null, null, null, startFailures, null, containers);
    }

    PodState markTerminating() {
        return new PodState(scheduled, started, true, reason, message, retryAt, startFailures, null, containers);
    }

    PodState withContainer(String name, ContainerRun run) {
        Map<String, ContainerRun> next = new LinkedHashMap<>(containers);
        next.put(name, run);
        return new PodState(scheduled, started, terminating, reason, message, retryAt, startFailures, readySince, next);
    }

    PodState withReason(String reason, String message) {
        return new PodState(scheduled, started, terminating, reason, message, retryAt, startFailures, readySince, containers);
    }

    PodState withReadySince(Instant readySince) {
        return new PodState(scheduled, started, terminating, reason, message, retryAt, startFailures, readySince, containers);
    }

    void write(Path podDir) {
        JsonFiles.write(file(podDir), this);
    }

    static Path file(Path podDir) {
        return podDir.resolve(FILE);
    }

    public static Optional<PodState> read(Path podDir) {
        return JsonFiles.read(podDir.resolve(FILE), PodState.class);
    }
}
