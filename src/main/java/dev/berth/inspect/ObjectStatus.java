package dev.berth.inspect;

import dev.berth.core.ResourceKey;
import dev.berth.net.service.ServiceIps;
import dev.berth.node.WorkloadStatus;
import dev.berth.node.workload.Health;
import dev.berth.store.ObjectRecord;
import java.time.Instant;
import java.util.Map;

/**
 * One applied object: its record joined with the health the node last assessed.
 *
 * @param revision  the commit it was applied from; null for a record without one
 * @param message   the assessment's message; null when there is none
 * @param lastError the last failure to converge it; null when it converged
 * @param clusterIP a Service's virtual IP ({@code None} when headless); null for other kinds, or before it has one
 * @param nodePorts a Service's node ports by the port they open ({@code 80/TCP}); empty for other kinds
 */
public record ObjectStatus(ResourceKey key, String apiVersion, String revision, Instant appliedAt, Health health,
                           String message, int drift, String lastError, String clusterIP,
                           Map<String, Integer> nodePorts) {

    public ObjectStatus {
        nodePorts = nodePorts == null ? Map.of() : Map.copyOf(nodePorts);
    }

    /**
     * Kinds without a controller (ConfigMap, Secret, Namespace, PVC) have no status file: recorded is healthy.
     *
     * @param service a Service's IP and node ports; null for other kinds
     */
    static ObjectStatus of(ObjectRecord record, WorkloadStatus status, ServiceIps.Allocation service) {
        String revision = record.revision() == null ? null : record.revision().sha();
        String clusterIP = service == null ? null : service.clusterIP();
        Map<String, Integer> nodePorts = service == null ? Map.of() : service.nodePorts();
        if (status == null) {
            return new ObjectStatus(record.key(), record.apiVersion(), revision, record.appliedAt(), Health.HEALTHY,
                    null, 0, null, clusterIP, nodePorts);
        }
        return new ObjectStatus(record.key(), record.apiVersion(), revision, record.appliedAt(), status.health(),
                status.message(), status.driftCount(), status.lastError(), clusterIP, nodePorts);
    }

    /** Where it should be: healthy or deliberately suspended, and its last convergence did not fail. */
    public boolean converged() {
        return (health == Health.HEALTHY || health == Health.SUSPENDED) && lastError == null;
    }
}
