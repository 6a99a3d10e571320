package dev.berth.plan.render;

import dev.berth.plan.Action;
import dev.berth.plan.FieldDiff;
import dev.berth.plan.PlanReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Shared wording of the human renderers. */
final class Values {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Values() {}

    /** A value as in JSON ("text", 3, {...}), "(none)" when absent. */
    static String show(Object value) {
        return value == null ? "(none)" : JSON.writeValueAsString(value);
    }

    static String change(FieldDiff d) {
        return d.sensitive() ? d.path() + ": (sensitive value changed)"
                : d.path() + ": " + show(d.before()) + " -> " + show(d.after());
    }

    /** "2 to create, 1 to delete, 4 unchanged" (verbs with no actions left out). */
    static String summary(PlanReport report) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String verb : List.of("create", "update", "replace", "delete")) {
            counts.put(verb, 0);
        }
        for (Action a : report.plan().actions()) {
            counts.merge(a.verb(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((verb, n) -> {
            if (n > 0) {
                sb.append(n).append(" to ").append(verb).append(", ");
            }
        });
        sb.append(report.plan().unchanged()).append(" unchanged");
        if (!report.plan().kept().isEmpty()) {
            sb.append(", ").append(report.plan().kept().size()).append(" kept (not pruned)");
        }
        return sb.toString();
    }

    static String revision(PlanReport report) {
        return report.revision() == null ? "(no revision)" : report.revision().abbreviated();
    }
}
