package dev.berth.server;

import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.ObjectStatus;
import dev.berth.inspect.PodSummary;
import dev.berth.plan.PlanReport;
import dev.berth.plan.render.Renderer;

/**
 * The page at {@code /}: source, revision, sync state, each object's health, the pods and the pending diff,
 * rendered on the server and refreshing itself every few seconds; no script, no build step.
 */
final class WebPage {

    private WebPage() {}

    static String render(NodeStatus node, WatchStatus watch, PlanReport pending) {
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>berth</title>
                <style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
                td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
                .Healthy,.Running,.Synced{color:#176f2c}.Degraded,.Failed,.OutOfSync{color:#b3261e}
                .Progressing,.Pending{color:#8a5a00}pre{background:#f4f4f4;padding:1em}</style></head><body>
                <h1>berth</h1>
                """);
        if (node.sync() == null) {
            html.append("<p>Nothing applied yet.</p>");
        } else {
            var sync = node.sync();
            html.append("<p>Source: <code>").append(esc(sync.repo())).append("</code> ref <code>")
                    .append(esc(sync.ref() == null ? "(default)" : sync.ref())).append("</code> path <code>")
                    .append(esc(sync.path())).append("</code><br>Revision: <code id=\"revision\">")
                    .append(esc(sync.revision())).append("</code> (").append(esc(sync.result())).append(")<br>Sync: ")
                    .append("<span id=\"sync\" class=\"").append(node.syncStatus()).append("\">")
                    .append(node.syncStatus()).append("</span>")
                    .append(watch.suspended() ? " &middot; <strong>suspended</strong>" : "")
                    .append(watch.lastError() == null ? "" : "<br>Last error: " + esc(watch.lastError())).append("</p>");
        }
        html.append("<h2>Objects</h2><table id=\"objects\"><tr><th>Kind</th><th>Namespace</th><th>Name</th>"
                + "<th>Health</th><th>Message</th><th>Drift</th></tr>");
        for (ObjectStatus o : node.objects()) {
            html.append("<tr><td>").append(esc(o.key().kind())).append("</td><td>").append(esc(o.key().namespace()))
                    .append("</td><td>").append(esc(o.key().name())).append("</td><td class=\"").append(o.health())
                    .append("\">").append(o.health()).append("</td><td>").append(esc(o.message())).append("</td><td>")
                    .append(o.drift()).append("</td></tr>");
        }
        html.append("</table><h2>Pods</h2><table id=\"pods\"><tr><th>Namespace</th><th>Name</th><th>Ready</th>"
                + "<th>Status</th><th>Restarts</th></tr>");
        for (PodSummary p : node.pods()) {
            html.append("<tr><td>").append(esc(p.namespace())).append("</td><td class=\"pod\">").append(esc(p.name()))
                    .append("</td><td>").append(p.readyContainers()).append('/').append(p.containers())
                    .append("</td><td class=\"").append(esc(p.status())).append("\">").append(esc(p.status()))
                    .append("</td><td>").append(p.restarts()).append("</td></tr>");
        }
        html.append("</table><h2>Pending changes</h2><pre id=\"diff\">")
                .append(esc(pending == null ? "" : Renderer.named("text", false).render(pending)))
                .append("</pre></body></html>\n");
        return html.toString();
    }

    private static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
