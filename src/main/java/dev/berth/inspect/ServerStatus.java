package dev.berth.inspect;

import java.time.Instant;

/**
 * What {@code berth status --server URL} shows: the node as a running {@code berth watch} reports it on
 * {@code /api/v1/status}, and what only the daemon knows.
 *
 * @param refusedRevision the head commit the daemon last refused (invalid, denied, unverifiable); null when none
 * @param lastError       why the last reconcile failed; null when it did not
 * @param lastReconcile   null before the first reconcile
 */
public record ServerStatus(NodeStatus node, boolean suspended, String refusedRevision, String lastError,
                           Instant lastReconcile) {}
