package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.ObjectStatus;
import dev.berth.inspect.PodSummary;
import dev.berth.plan.render.Renderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

/**
 * The page at {@code /}, rendered on the server; no script, no build step. Anyone who reaches the port sees the
 * revision, the sync state, each object's health and the pods. Only a signed-in viewer (see {@link PageLogin}) sees
 * what may hold secrets: the source URL (it may embed credentials), error texts, object messages and the last plan's
 * diff (ConfigMap data, env, commands); the page then also refreshes itself every 5 s.
 */
final class WebPage {

    /** Who is looking: what the page shows, and whether it offers a login. */
    enum Viewer { SIGNED_IN, GUEST, GUEST_WITHOUT_LOGIN }

    private static final String STYLE = """
            <style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
            td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
            .Healthy,.Running,.Synced{color:#176f2c}.Degraded,.Failed,.OutOfSync{color:#b3261e}
            .Progressing,.Pending{color:#8a5a00}pre{background:#f4f4f4;padding:1em}form{margin:1em 0}</style>
            """;

    private WebPage() {}

    static String render(NodeStatus node, WatchStatus watch, Viewer viewer) {
        boolean signedIn = viewer == Viewer.SIGNED_IN;
        StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                // a guest may be typing the token: no refresh under their fingers
                .append(signedIn ? "<meta http-equiv=\"refresh\" content=\"5\">" : "")
                .append("<title>berth</title>\n").append(STYLE).append("</head><body>\n<h1>berth</h1>\n");
        html.append(switch (viewer) {
            case SIGNED_IN -> "<form method=\"post\" action=\"/logout\"><button>Log out</button></form>\n";
            case GUEST -> "<form method=\"post\" action=\"/login\" id=\"login\">The source, errors and the last plan "
                    + "are shown after a login with the API token: <input type=\"password\" name=\"token\" "
                    + "autocomplete=\"current-password\" required aria-label=\"API token\"> <button>Log in</button>"
                    + "</form>\n";
            case GUEST_WITHOUT_LOGIN -> "<p>The source, errors and the last plan are shown to holders of the API "
                    + "token, and this daemon has none (server.tokenFile).</p>\n";
        });
        sync(html, node, watch, signedIn);
        objects(html, node, signedIn);
        pods(html, node);
        lastPlan(html, watch, signedIn);
        return html.append("</body></html>\n").toString();
    }

    /** Answers a wrong token at {@code POST /login}. */
    static String loginRefused() {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>berth</title>\n" + STYLE
                + "</head><body>\n<h1>berth</h1>\n<p id=\"refused\">That is not the API token.</p>"
                + "<p><a href=\"/\">Back to the page</a></p></body></html>\n";
    }

    /**
     * Sends a page: never stored by a cache (it may hold what only a login shows), never framed by another site (a
     * framed login form invites clickjacking), and no script runs in it.
     */
    static void send(HttpExchange exchange, int code, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sync(StringBuilder html, NodeStatus node, WatchStatus watch, boolean signedIn) {
        if (node.sync() == null) {
            html.append("<p>Nothing applied yet.</p>\n");
            return;
        }
        var sync = node.sync();
        html.append("<p>");
        if (signedIn) {
            html.append("Source: <code>").append(esc(sync.repo())).append("</code> ref <code>")
                    .append(esc(sync.ref() == null ? "(default)" : sync.ref())).append("</code> path <code>")
                    .append(esc(sync.path())).append("</code><br>");
        }
        html.append("Revision: <code id=\"revision\">").append(esc(sync.revision())).append("</code> (")
                .append(esc(sync.result())).append(")<br>Sync: <span id=\"sync\" class=\"").append(node.syncStatus())
                .append("\">").append(node.syncStatus()).append("</span>")
                .append(watch.suspended() ? " &middot; <strong>suspended</strong>" : "");
        if (watch.lastError() != null) {
            html.append("<br>Last error: ").append(signedIn ? esc(watch.lastError()) : "(log in to read it)");
        }
        html.append("</p>\n");
    }

    private static void objects(StringBuilder html, NodeStatus node, boolean signedIn) {
        html.append("<h2>Objects</h2><table id=\"objects\"><tr><th>Kind</th><th>Namespace</th><th>Name</th>"
                + "<th>Health</th>").append(signedIn ? "<th>Message</th>" : "").append("<th>Drift</th></tr>\n");
        for (ObjectStatus o : node.objects()) {
            html.append("<tr><td>").append(esc(o.key().kind())).append("</td><td>").append(esc(o.key().namespace()))
                    .append("</td><td>").append(esc(o.key().name())).append("</td><td class=\"").append(o.health())
                    .append("\">").append(o.health()).append("</td>")
                    .append(signedIn ? "<td>" + esc(o.message()) + "</td>" : "")
                    .append("<td>").append(o.drift()).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void pods(StringBuilder html, NodeStatus node) {
        html.append("<h2>Pods</h2><table id=\"pods\"><tr><th>Namespace</th><th>Name</th><th>Ready</th>"
                + "<th>Status</th><th>Restarts</th></tr>\n");
        for (PodSummary p : node.pods()) {
            html.append("<tr><td>").append(esc(p.namespace())).append("</td><td class=\"pod\">").append(esc(p.name()))
                    .append("</td><td>").append(p.readyContainers()).append('/').append(p.containers())
                    .append("</td><td class=\"").append(esc(p.status())).append("\">").append(esc(p.status()))
                    .append("</td><td>").append(p.restarts()).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void lastPlan(StringBuilder html, WatchStatus watch, boolean signedIn) {
        html.append("<h2>Last plan</h2>\n");
        var computed = watch.lastPlan().orElse(null);
        if (computed == null) {
            html.append("<p id=\"plan\">No plan yet: the daemon computes one when it syncs a commit.</p>\n");
            return;
        }
        html.append("<p id=\"plan\">Computed at ").append(computed.at().truncatedTo(ChronoUnit.SECONDS))
                .append(", then: <span class=\"").append(esc(computed.result())).append("\">")
                .append(esc(computed.result())).append("</span>").append(signedIn ? "" : " (log in to see it)")
                .append("</p>\n");
        if (signedIn) {
            html.append("<pre id=\"diff\">").append(esc(Renderer.named("text", false).render(computed.report())))
                    .append("</pre>\n");
        }
    }

    private static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
