package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.net.PodIps;
import dev.berth.store.JsonFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What berth writes about a pod before it creates anything for it ({@code pods/ID/pod.json}): enough to find and
 * remove every container, mount and namespace of the pod after a crash, and the pod itself, so that it can be
 * started again after a reboot.
 *
 * @param containers runtime ids of the pod's containers, init containers first
 */
public record PodRecord(String id, String namespace, String name, List<String> containers, Instant createdAt, Pod pod) {

    static final String FILE = "pod.json";

    /**
     * The pod gets its UID here, as an API server assigns one (a manifest's is ignored): derived from the id, which is
     * the pod's alone and kept for its life, so it is the same after a restart of berth and for records older than it.
     */
    public PodRecord {
        if (pod != null && pod.getMetadata() != null) {
            pod.getMetadata().setUid(UUID.nameUUIDFromBytes(("berth pod " + id).getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
    }

    void write(Path podDir) {
        JsonFiles.write(podDir.resolve(FILE), this);
    }

    /** The pod's record, its pod's {@code status.podIP(s)} the addresses its network got ({@link PodIps}). */
    public static Optional<PodRecord> read(Path podDir) {
        Optional<PodRecord> record = JsonFiles.read(podDir.resolve(FILE), PodRecord.class);
        record.ifPresent(r -> showIps(r.pod(), PodIps.read(podDir).orElse(new PodIps(List.of()))));
        return record;
    }

    /**
     * Sets the pod's {@code status.podIP} and {@code status.podIPs}, where the downward API and status read them; none
     * when the pod has no network (yet, or any more).
     */
    static void showIps(Pod pod, PodIps ips) {
        if (pod == null || pod.getStatus() == null && ips.ips().isEmpty()) {
            return;
        }
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        pod.getStatus().setPodIP(ips.primary().orElse(null));
        pod.getStatus().setPodIPs(ips.ips().stream().map(PodIP::new).toList());
    }

    /** The record of every pod directory under {@code podsDir} (the state root's pods/), oldest first. */
    public static List<PodRecord> readAll(Path podsDir) {
        if (!Files.isDirectory(podsDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(podsDir)) {
            return dirs.filter(d -> !d.getFileName().toString().startsWith("."))
                    .map(PodRecord::read).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(PodRecord::createdAt)).toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + podsDir + ": " + e.getMessage(), e);
        }
    }
}
