package dev.berth.inspect;

import dev.berth.net.service.ServiceIps;
import dev.berth.node.PodObserver;
import dev.berth.node.WorkloadStatus;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.sync.SyncState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code berth status} shows: where the node's desired state comes from and what it last applied, each
 * applied object's health, and every pod.
 *
 * @param sync null before the first apply
 */
public record NodeStatus(SyncState sync, List<ObjectStatus> objects, List<PodSummary> pods) {

    public static final String SYNCED = "Synced";
    public static final String OUT_OF_SYNC = "OutOfSync";

    public static NodeStatus read(StateLayout layout, PodObserver observer) {
        Map<String, ServiceIps.Allocation> services = ServiceIps.allocations(layout);
        List<ObjectStatus> objects = new ObjectRecords(layout).readAll().stream()
                .map(r -> ObjectStatus.of(r, WorkloadStatus.read(layout, r.key()).orElse(null),
                        r.key().kind().equals("Service") ? services.get(r.key().namespace() + "/" + r.key().name())
                                : null))
                .toList();
        return new NodeStatus(SyncState.read(layout).orElse(null), objects,
                observer.observe().stream().map(PodSummary::of).toList());
    }

    public boolean applied() {
        return sync != null || !objects.isEmpty();
    }

    /** Synced or OutOfSync; null when nothing was applied. */
    public String syncStatus() {
        return !applied() ? null : outOfSyncReasons().isEmpty() ? SYNCED : OUT_OF_SYNC;
    }

    /** Why the node is out of sync: a failed last apply, objects not healthy, objects that failed to converge. */
    public List<String> outOfSyncReasons() {
        List<String> reasons = new ArrayList<>();
        if (sync != null && sync.result() != null && !sync.result().equals(SYNCED)) {
            reasons.add("last apply " + sync.result());
        }
        long unhealthy = objects.stream().filter(o -> !o.converged() && o.lastError() == null).count();
        long failing = objects.stream().filter(o -> o.lastError() != null).count();
        if (unhealthy > 0) {
            reasons.add(count(unhealthy, "object") + " not healthy");
        }
        if (failing > 0) {
            reasons.add(count(failing, "object") + " failing to converge");
        }
        return reasons;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
