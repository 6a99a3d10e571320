package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.inspect.HistoryView;
import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.PodLookup;
import dev.berth.inspect.StatusJson;
import dev.berth.node.PodObserver;
import dev.berth.node.PodRecord;
import dev.berth.plan.render.Renderer;
import dev.berth.runtime.ContainerLogs;
import dev.berth.runtime.LogLine;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.sync.History;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The daemon's HTTP API under {@code /api/v1} (token required), {@code /metrics} and the web page at {@code /}.
 * Reads come from the state root, as {@code berth status} reads them, and from what the daemon keeps (the last plan):
 * no request fetches or plans. Writes only hand work to the reconcile loop.
 */
public final class ApiRoutes {

    private final StateLayout layout;
    private final PodObserver pods;
    private final WatchStatus status;
    private final ReconcileLoop loop;

    public ApiRoutes(StateLayout layout, PodObserver pods, WatchStatus status, ReconcileLoop loop) {
        this.layout = layout;
        this.pods = pods;
        this.status = status;
        this.loop = loop;
    }

    public void register(ApiServer server, Metrics metrics) {
        server.route("GET", "/api/v1/status", Router.Access.TOKEN, this::status);
        server.route("GET", "/api/v1/plan", Router.Access.TOKEN, this::plan);
        server.route("GET", "/api/v1/objects", Router.Access.TOKEN, this::objects);
        server.route("POST", "/api/v1/sync", Router.Access.TOKEN, e -> {
            loop.trigger(ReconcileLoop.Kind.SYNC, "api: sync");
            Json.send(e, new Reply(202, "triggered", "a sync is queued"));
        });
        server.route("POST", "/api/v1/suspend", Router.Access.TOKEN, e -> suspend(e, true));
        server.route("POST", "/api/v1/resume", Router.Access.TOKEN, e -> suspend(e, false));
        server.route("GET", "/api/v1/history", Router.Access.TOKEN, e -> text(e, "application/json",
                HistoryView.json(HistoryView.newest(new History(layout).list(), Integer.MAX_VALUE))));
        server.route("GET", "/api/v1/pods/*", Router.Access.TOKEN, this::logs);
        server.metrics(e -> {
            e.getResponseHeaders().set("Content-Type", metrics.contentType());
            e.sendResponseHeaders(200, 0);
            try (OutputStream out = e.getResponseBody()) {
                metrics.write(out);
            }
        });
        server.route("GET", "/", Router.Access.PUBLIC, e -> WebPage.send(e, 200,
                WebPage.render(NodeStatus.read(layout, pods), status, viewer(server, e))));
    }

    private static WebPage.Viewer viewer(ApiServer server, HttpExchange exchange) {
        if (server.signedIn(exchange)) {
            return WebPage.Viewer.SIGNED_IN;
        }
        return server.loginEnabled() ? WebPage.Viewer.GUEST : WebPage.Viewer.GUEST_WITHOUT_LOGIN;
    }

    /** {@code plan -o json} of the plan the last sync computed, with its {@code result} and {@code computedAt}. */
    private void plan(HttpExchange exchange) throws IOException {
        WatchStatus.ComputedPlan computed = status.lastPlan().orElseThrow(() -> new HttpError(503,
                "no plan yet: the daemon computes one when it syncs a commit"));
        ObjectNode body = (ObjectNode) Json.parse(Renderer.named("json", false).render(computed.report())
                .getBytes(StandardCharsets.UTF_8));
        body.put("result", computed.result());
        body.put("computedAt", computed.at().toString());
        Json.send(exchange, 200, body);
    }

    private void status(HttpExchange exchange) throws IOException {
        JsonNode node = Json.parse(StatusJson.render(NodeStatus.read(layout, pods)).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node);
        body.put("suspended", status.suspended());
        body.put("refusedRevision", status.refused());
        body.put("lastError", status.lastError());
        body.put("lastReconcile", status.lastReconcile() == null ? null : status.lastReconcile().toString());
        Json.send(exchange, 200, body);
    }

    /** What {@code plan --against server:URL} diffs with: the records, Secret values never included. */
    private void objects(HttpExchange exchange) throws IOException {
        List<Map<String, Object>> records = new ObjectRecords(layout).readAll().stream().map(r -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", r.key().kind());
            json.put("namespace", r.key().namespace());
            json.put("name", r.key().name());
            json.put("apiVersion", r.apiVersion());
            json.put("hash", r.hash());
            json.put("revision", r.revision() == null ? null : r.revision().sha());
            json.put("prune", r.prune());
            json.put("object", r.object());
            return json;
        }).toList();
        Json.send(exchange, 200, Map.of("objects", records));
    }

    private void suspend(HttpExchange exchange, boolean suspend) throws IOException {
        status.suspend(suspend);
        if (!suspend) {
            loop.trigger(ReconcileLoop.Kind.POLL, "api: resume");
        }
        Json.send(exchange, new Reply(200, "ok", suspend ? "suspended: no reconciles until resumed" : "resumed"));
    }

    /** {@code GET /api/v1/pods/NAMESPACE/NAME/logs[?container=C&tail=N]}: the newest pod of that name. */
    private void logs(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        if (parts.length != 7 || !parts[6].equals("logs")) {
            throw new HttpError(404, "expected /api/v1/pods/NAMESPACE/NAME/logs");
        }
        Map<String, String> query = UrlForm.decode(exchange.getRequestURI().getRawQuery());
        PodRecord record;
        String container;
        try {
            record = PodLookup.find(pods.records(), parts[4], parts[5]);
            container = PodLookup.container(record, query.get("container"));
        } catch (dev.berth.core.BerthException e) {
            throw new HttpError(404, e.getMessage());
        }
        Path log = pods.podDir(record.id()).resolve("logs").resolve(container + ".log");
        List<LogLine> lines = ContainerLogs.read(log);
        int tail = query.containsKey("tail") ? Integer.parseInt(query.get("tail")) : lines.size();
        StringBuilder out = new StringBuilder();
        for (LogLine line : lines.subList(Math.max(0, lines.size() - tail), lines.size())) {
            out.append(line.content()).append(line.partial() ? "" : "\n");
        }
        text(exchange, "text/plain; charset=utf-8", out.toString());
    }

    private static void text(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
