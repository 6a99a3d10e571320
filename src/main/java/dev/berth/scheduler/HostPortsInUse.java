package dev.berth.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host ports taken during one pass: by running pods, by host processes, and by pods admitted in the pass. */
final class HostPortsInUse {

    private record Held(HostPort port, String holder) {}

    private final List<Held> held = new ArrayList<>();

    static HostPortsInUse of(List<PodRequest> running, List<HostPort> listening) {
        HostPortsInUse inUse = new HostPortsInUse();
        running.forEach(inUse::take);
        for (HostPort socket : listening) {
            inUse.held.add(new Held(socket, "a host process listening on "
                    + (socket.hostIp().isEmpty() ? "*" : socket.hostIp()) + ":" + socket.port() + "/" + socket.protocol()));
        }
        return inUse;
    }

    /** Why the pod cannot have its host ports now, naming a port and its holder; empty when it can. */
    Optional<String> conflict(PodRequest pod) {
        for (HostPort wanted : pod.hostPorts()) {
            for (Held h : held) {
                if (wanted.overlaps(h.port())) {
                    return Optional.of("hostPort " + wanted + " is held by " + h.holder());
                }
            }
        }
        return Optional.empty();
    }

    void take(PodRequest pod) {
        pod.hostPorts().forEach(port -> held.add(new Held(port, pod.pod().toString())));
    }
}
