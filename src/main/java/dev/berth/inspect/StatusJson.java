package dev.berth.inspect;

import dev.berth.core.ResourceKey;
import dev.berth.sync.SyncState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth status -o json}: the stable structure documented in the README; fields are only ever added. */
public final class StatusJson {

    private StatusJson() {}

    public static String render(NodeStatus status) {
        SyncState sync = status.sync();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applied", status.applied());
        out.put("source", sync == null ? null : source(sync));
        out.put("revision", sync == null ? null : sync.revision());
        out.put("appliedAt", sync == null ? null : time(sync.appliedAt()));
        out.put("result", sync == null ? null : sync.result());
        out.put("message", sync == null ? null : sync.message());
        out.put("pinnedOver", sync == null ? null : sync.pinnedOver());
        out.put("sync", status.syncStatus());
        out.put("outOfSync", status.outOfSyncReasons());
        out.put("objects", status.objects().stream().map(StatusJson::object).toList());
        out.put("pods", status.pods().stream().map(StatusJson::pod).toList());
        return Json.write(out);
    }

    private static Map<String, Object> source(SyncState sync) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repo", sync.repo());
        source.put("ref", sync.ref());
        source.put("path", sync.path());
        return source;
    }

    private static Map<String, Object> object(ObjectStatus o) {
        Map<String, Object> json = key(o.key());
        json.put("apiVersion", o.apiVersion());
        json.put("revision", o.revision());
        json.put("appliedAt", time(o.appliedAt()));
        json.put("health", o.health().toString());
        json.put("message", o.message());
        json.put("drift", o.drift());
        json.put("lastError", o.lastError());
        return json;
    }

    private static Map<String, Object> pod(PodSummary p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("namespace", p.namespace());
        json.put("name", p.name());
        json.put("id", p.id());
        json.put("phase", p.phase());
        json.put("status", p.status());
        json.put("ready", p.ready());
        json.put("readyContainers", p.readyContainers());
        json.put("containers", p.containers());
        json.put("restarts", p.restarts());
        json.put("lastRestartAt", time(p.lastRestartAt()));
        json.put("createdAt", time(p.createdAt()));
        json.put("ip", null);
        json.put("owner", p.owner() == null ? null : key(p.owner()));
        json.put("lastExit", p.lastExit() == null ? null : exit(p.lastExit()));
        return json;
    }

    private static Map<String, Object> exit(PodSummary.Exit exit) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("container", exit.container());
        json.put("exitCode", exit.exitCode());
        json.put("reason", exit.reason());
        json.put("finishedAt", time(exit.finishedAt()));
        return json;
    }

    private static Map<String, Object> key(ResourceKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", key.kind());
        json.put("namespace", key.namespace());
        json.put("name", key.name());
        return json;
    }

    static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
