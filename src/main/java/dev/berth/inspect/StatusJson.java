package dev.berth.inspect;

import dev.berth.core.BerthException;
import dev.berth.core.ResourceKey;
import dev.berth.node.workload.Health;
import dev.berth.sync.SyncState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth status -o json}: the stable structure documented in docs/reference.md; fields are only ever added. Read back
 * from a {@code berth watch}'s {@code /api/v1/status} for {@code status --server}.
 */
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
        if (o.clusterIP() != null) { // a Service's
            json.put("clusterIP", o.clusterIP());
            json.put("nodePorts", new java.util.TreeMap<>(o.nodePorts()));
        }
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
        json.put("ip", p.ip());
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
        json.put("message", exit.message());
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

    /** A daemon's {@code /api/v1/status}: {@code {"node": <render's JSON>, "suspended", "refusedRevision", ...}}. */
    public static ServerStatus parseServer(JsonNode body) {
        JsonNode node = body.path("node");
        if (!node.isObject()) {
            throw unreadable("no \"node\" object");
        }
        return new ServerStatus(parse(node), body.path("suspended").asBoolean(), text(body, "refusedRevision"),
                text(body, "lastError"), time(body, "lastReconcile"));
    }

    /** The inverse of {@link #render}; fields it does not know are ignored. */
    private static NodeStatus parse(JsonNode json) {
        JsonNode source = json.path("source");
        SyncState sync = !source.isObject() ? null : new SyncState(text(source, "repo"), text(source, "ref"),
                text(source, "path"), text(json, "revision"), time(json, "appliedAt"), text(json, "result"),
                text(json, "message"), text(json, "pinnedOver"));
        return new NodeStatus(sync, list(json, "objects", StatusJson::object), list(json, "pods", StatusJson::pod));
    }

    private static ObjectStatus object(JsonNode o) {
        return new ObjectStatus(key(o), text(o, "apiVersion"), text(o, "revision"), time(o, "appliedAt"),
                health(required(o, "health")), text(o, "message"), o.path("drift").asInt(), text(o, "lastError"),
                text(o, "clusterIP"), nodePorts(o.path("nodePorts")));
    }

    private static Map<String, Integer> nodePorts(JsonNode ports) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (ports.isObject()) {
            ports.properties().forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
        }
        return out;
    }

    private static PodSummary pod(JsonNode p) {
        JsonNode owner = p.path("owner");
        JsonNode exit = p.path("lastExit");
        return new PodSummary(text(p, "id"), required(p, "namespace"), required(p, "name"), text(p, "phase"),
                text(p, "status"), p.path("ready").asBoolean(), p.path("readyContainers").asInt(),
                p.path("containers").asInt(), p.path("restarts").asInt(), time(p, "lastRestartAt"),
                time(p, "createdAt"), text(p, "ip"), owner.isObject() ? key(owner) : null,
                !exit.isObject() ? null : new PodSummary.Exit(text(exit, "container"), exit.path("exitCode").asInt(),
                        text(exit, "reason"), time(exit, "finishedAt"), text(exit, "message")));
    }

    private static ResourceKey key(JsonNode json) {
        return new ResourceKey(required(json, "kind"), text(json, "namespace"), required(json, "name"));
    }

    private static <T> List<T> list(JsonNode json, String field, Function<JsonNode, T> element) {
        if (!json.path(field).isArray()) {
            throw unreadable("no \"" + field + "\" list");
        }
        List<T> out = new ArrayList<>();
        json.path(field).forEach(e -> out.add(element.apply(e)));
        return out;
    }

    private static Health health(String text) {
        return Arrays.stream(Health.values()).filter(h -> h.toString().equals(text)).findFirst()
                .orElseThrow(() -> unreadable("unknown health \"" + text + "\""));
    }

    private static String required(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            throw unreadable("\"" + field + "\" missing");
        }
        return text;
    }

    /** Null when absent or null. */
    private static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static Instant time(JsonNode json, String field) {
        String text = text(json, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw unreadable("\"" + field + "\" is not a time: " + text);
        }
    }

    private static BerthException unreadable(String why) {
        return new BerthException("the server's status is not one berth can read: " + why);
    }
}
