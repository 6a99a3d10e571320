package dev.berth.net;

import dev.berth.store.JsonFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The addresses the pod network gave a pod, kept in the pod's directory from its network's setup until its teardown,
 * where status, probes, Services and DNS read them. A pod on the host's network has none here (its IP is the host's).
 *
 * @param ips the pod's IPs, the first its primary ({@code status.podIP})
 */
public record PodIps(List<String> ips) {

    /** The file in a pod's directory. */
    public static final String FILE = "ips.json";

    public PodIps {
        ips = List.copyOf(ips);
    }

    /** The addresses recorded for the pod whose directory is {@code podDir}; empty when it has no network (yet). */
    public static Optional<PodIps> read(Path podDir) {
        return JsonFiles.read(podDir.resolve(FILE), PodIps.class);
    }

    public void write(Path podDir) {
        JsonFiles.write(podDir.resolve(FILE), this);
    }

    public Optional<String> primary() {
        return ips.isEmpty() ? Optional.empty() : Optional.of(ips.get(0));
    }
}
