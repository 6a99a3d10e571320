package dev.berth.inspect;

import dev.berth.core.ResourceKey;
import dev.berth.node.WorkloadStatus;
import dev.berth.node.workload.Health;
import dev.berth.store.ObjectRecord;
import java.time.Instant;

/**
 * One applied object: its record joined with the health the node last assessed.
 *
 * @param revision  the commit it was applied from; null for a record without one
 * @param message   the assessment's message; null when there is none
 * @param lastError the last failure to converge it; null when it converged
 */
public record ObjectStatus(ResourceKey key, String apiVersion, String revision, Instant appliedAt, Health health,
                           String message, int drift, String lastError) {

    /** Kinds without a controller (ConfigMap, Secret, Namespace, Service, PVC) have no status file: recorded is healthy. */
    static ObjectStatus of(ObjectRecord record, WorkloadStatus status) {
        String revision = record.revision() == null ? null : record.revision().sha();
        if (status == null) {
            return new ObjectStatus(record.key(), record.apiVersion(), revision, record.appliedAt(), Health.HEALTHY,
                    null, 0, null);
        }
        return new ObjectStatus(record.key(), record.apiVersion(), revision, record.appliedAt(), status.health(),
                status.message(), status.driftCount(), status.lastError());
    }

    /** Where it should be: healthy or deliberately suspended, and its last convergence did not fail. */
    public boolean converged() {
        return (health == Health.HEALTHY || health == Health.SUSPENDED) && lastError == null;
    }
}
