package dev.berth.plan.render;

import dev.berth.core.Problem;
import dev.berth.core.ResourceKey;
import dev.berth.plan.Action;
import dev.berth.plan.FieldDiff;
import dev.berth.plan.PlanReport;
import dev.berth.policy.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The stable machine format documented in docs/reference.md ("plan -o json"); fields are only ever added. */
final class JsonRenderer implements Renderer {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public String render(PlanReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("revision", report.revision() == null ? null : report.revision().sha());
        out.put("against", report.against());
        out.put("objects", report.objects());
        out.put("policies", report.policies());
        List<Object> changes = new ArrayList<>();
        if (report.plan() != null) {
            report.plan().actions().forEach(a -> changes.add(change(a)));
        }
        out.put("changes", changes);
        out.put("unchanged", report.plan() == null ? 0 : report.plan().unchanged());
        out.put("kept", report.plan() == null ? List.of() : report.plan().kept().stream().map(JsonRenderer::key).toList());
        out.put("violations", report.violations().stream().map(JsonRenderer::violation).toList());
        out.put("errors", report.errors().stream().map(JsonRenderer::error).toList());
        out.put("notes", report.notes());
        return JSON.writeValueAsString(out) + "\n";
    }

    private static Map<String, Object> change(Action a) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("action", a.verb());
        c.putAll(key(a.key()));
        c.put("reason", a.reason());
        c.put("diff", a.diff().stream().map(JsonRenderer::field).toList());
        return c;
    }

    private static Map<String, Object> field(FieldDiff d) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", d.path());
        if (d.sensitive()) {
            f.put("sensitive", true);
        } else {
            f.put("old", d.before());
            f.put("new", d.after());
        }
        return f;
    }

    private static Map<String, Object> key(ResourceKey key) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("kind", key.kind());
        k.put("namespace", key.namespace());
        k.put("name", key.name());
        return k;
    }

    private static Map<String, Object> violation(Violation v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", v.policy());
        out.putAll(key(v.key()));
        out.put("message", v.message());
        out.put("action", v.action().name().toLowerCase());
        out.put("file", v.location().file());
        out.put("line", v.location().line());
        return out;
    }

    private static Map<String, Object> error(Problem p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", p.location().file());
        out.put("line", p.location().line());
        out.put("column", p.location().column());
        out.put("message", p.message());
        return out;
    }
}
