package dev.berth.node;

import dev.berth.store.JsonFiles;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What berth writes about a pod before it creates anything for it ({@code pods/ID/pod.json}): enough to find and
 * remove every container, mount and namespace of the pod after a crash, and the pod itself, so that it can be
 * started again after a reboot.
 *
 * @param containers runtime ids of the pod's containers, init containers first
 */
public record PodRecord(String id, String namespace, String name, List<String> containers, Instant createdAt, Pod pod) {

    static final String FILE = "pod.json";

    void write(Path podDir) {
        JsonFiles.write(podDir.resolve(FILE), this);
    }

    public static Optional<PodRecord> read(Path podDir) {
        return JsonFiles.read(podDir.resolve(FILE), PodRecord.class);
    }
}
