package dev.berth.inspect;

import dev.berth.sync.SyncState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** {@code berth status} for people: a header on the sync, then the objects and the pods as kubectl tables. */
public final class StatusText {

    private StatusText() {}

    public static String render(NodeStatus status, Path root, Instant now) {
        String header = status.applied() ? TabWriter.DESCRIBE.format(syncLines(status, now))
                : "Nothing applied yet (no sync state in " + root + ").\n";
        return header + tables(status, now);
    }

    /**
     * {@code berth status --server URL}: the same from a running {@code berth watch}, with what only the daemon
     * knows: when it last reconciled, whether it is suspended, the commit it refused and its last error.
     */
    public static String render(ServerStatus status, URI server, Instant now) {
        NodeStatus node = status.node();
        StringBuilder lines = new StringBuilder("Server:\t").append(server).append(", ")
                .append(status.lastReconcile() == null ? "no reconcile yet"
                        : "last reconcile " + at(status.lastReconcile(), now)).append('\n');
        if (node.applied()) {
            lines.append(syncLines(node, now));
        }
        lines.append("Suspended:\t")
                .append(status.suspended() ? "yes: no reconciles until resumed (POST /api/v1/resume)" : "no").append('\n');
        if (status.refusedRevision() != null) {
            lines.append("Refused:\t").append(Revisions.shorten(status.refusedRevision()))
                    .append(" (invalid, denied or unverifiable: not applied)\n");
        }
        if (status.lastError() != null) {
            lines.append("Last error:\t").append(status.lastError()).append('\n');
        }
        return (node.applied() ? "" : "Nothing applied yet.\n") + TabWriter.DESCRIBE.format(lines.toString())
                + tables(node, now);
    }

    /** The objects (when any) and the pods, each after an empty line. */
    private static String tables(NodeStatus status, Instant now) {
        StringBuilder out = new StringBuilder();
        if (!status.objects().isEmpty()) {
            out.append('\n').append(objects(status));
        }
        out.append('\n').append(status.pods().isEmpty() ? "No pods.\n" : pods(status, now));
        return out.toString();
    }

    /** Source, revision, result, pin and sync as {@code Label:\tvalue} lines, not yet aligned. */
    private static String syncLines(NodeStatus status, Instant now) {
        SyncState sync = status.sync();
        StringBuilder text = new StringBuilder();
        if (sync != null) {
            text.append("Source:\t").append(sync.repo()).append(", ref ").append(ref(sync));
            if (sync.path() != null && !sync.path().isEmpty()) {
                text.append(", path ").append(sync.path());
            }
            text.append('\n');
            text.append("Revision:\t").append(sync.revision() == null ? "<none>" : Revisions.shorten(sync.revision()));
            if (sync.appliedAt() != null) {
                text.append(", applied ").append(at(sync.appliedAt(), now));
            }
            text.append('\n');
            text.append("Result:\t").append(Objects.requireNonNullElse(sync.result(), "<none>"));
            if (sync.message() != null && !sync.message().isEmpty()) {
                text.append(": ").append(sync.message());
            }
            text.append('\n');
            if (sync.pinnedOver() != null) {
                text.append("Pinned:\tpinned by rollback; `berth resume` to follow ").append(ref(sync))
                        .append(" again\n");
            }
        }
        text.append("Sync:\t").append(status.syncStatus());
        if (!status.outOfSyncReasons().isEmpty()) {
            text.append(" (").append(String.join("; ", status.outOfSyncReasons())).append(')');
        }
        return text.append('\n').toString();
    }

    /** {@code 2026-03-01T10:00:00Z (20m ago)} */
    private static String at(Instant time, Instant now) {
        return time.truncatedTo(ChronoUnit.SECONDS) + " (" + Ages.since(time, now) + " ago)";
    }

    /** An apply without --ref follows the repository's HEAD: say so rather than print "null". */
    private static String ref(SyncState sync) {
        return sync.ref() == null ? "HEAD" : sync.ref();
    }

    private static String objects(NodeStatus status) {
        StringBuilder table = new StringBuilder("KIND\tNAMESPACE\tNAME\tHEALTH\tMESSAGE\tDRIFT\n");
        for (ObjectStatus o : status.objects()) {
            String message = Objects.requireNonNullElse(o.message(), "");
            if (o.clusterIP() != null) { // as kubectl get service's CLUSTER-IP and PORT(S): 80:30080/TCP
                StringBuilder at = new StringBuilder(o.clusterIP());
                new java.util.TreeMap<>(o.nodePorts()).forEach((port, node) -> at.append(at.length() == o.clusterIP().length() ? " " : ",")
                        .append(port.replace("/", ":" + node + "/")));
                message = at + (message.isEmpty() ? "" : "; " + message);
            }
            if (o.lastError() != null) {
                message = (message.isEmpty() ? "" : message + "; ") + "last error: " + o.lastError();
            }
            table.append(String.join("\t", o.key().kind(), o.key().namespace(), o.key().name(),
                    o.health().toString(), message, String.valueOf(o.drift()))).append('\n');
        }
        return TabWriter.TABLE.format(table.toString());
    }

    private static String pods(NodeStatus status, Instant now) {
        StringBuilder table = new StringBuilder("NAMESPACE\tNAME\tREADY\tSTATUS\tRESTARTS\tAGE\tIP\tLAST EXIT\n");
        for (PodSummary p : status.pods()) {
            String restarts = p.restarts() + (p.lastRestartAt() == null ? ""
                    : " (" + Ages.since(p.lastRestartAt(), now) + " ago)");
            table.append(String.join("\t", p.namespace(), p.name(), p.readyContainers() + "/" + p.containers(),
                    p.status(), restarts, Ages.since(p.createdAt(), now),
                    p.ip() == null ? "<none>" : p.ip(), lastExit(p))).append('\n');
        }
        return TabWriter.TABLE.format(table.toString());
    }

    private static String lastExit(PodSummary p) {
        return p.lastExit() == null ? "<none>" : p.lastExit().exitCode() + " (" + p.lastExit().reason() + ")";
    }
}
