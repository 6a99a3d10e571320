package dev.berth.plan.render;

import dev.berth.core.Problem;
import dev.berth.core.ResourceKey;
import dev.berth.plan.Action;
import dev.berth.plan.FieldDiff;
import dev.berth.plan.PlanReport;
import dev.berth.policy.Enforcement;
import dev.berth.policy.Violation;
import java.util.Map;

/** Short, readable terminal output; ANSI colour only when asked (on a TTY). */
final class TextRenderer implements Renderer {

    private static final Map<String, String> SIGNS = Map.of("create", "+", "update", "~", "replace", "±", "delete", "-");
    private static final Map<String, String> COLOURS =
            Map.of("create", "32", "update", "33", "replace", "35", "delete", "31", "deny", "31;1", "warn", "33");

    private final boolean colour;

    TextRenderer(boolean colour) {
        this.colour = colour;
    }

    @Override
    public String render(PlanReport report) {
        StringBuilder out = new StringBuilder();
        for (Problem p : report.errors()) {
            out.append(paint("deny", "error")).append(": ").append(p).append('\n');
        }
        if (report.plan() != null) {
            out.append("Plan for ").append(Values.revision(report)).append(" against ").append(report.against()).append('\n');
            for (Action a : report.plan().actions()) {
                out.append("  ").append(paint(a.verb(), SIGNS.get(a.verb()) + " " + pad(a.verb())))
                        .append(' ').append(a.key()).append("  (").append(a.reason()).append(")\n");
                for (FieldDiff d : a.diff()) {
                    out.append("      ").append(Values.change(d)).append('\n');
                }
            }
            for (ResourceKey key : report.plan().kept()) {
                out.append("  = keep    ").append(key).append("  (not in the repository; not pruned)\n");
            }
        }
        for (Violation v : report.violations()) {
            String verdict = v.action() == Enforcement.DENY ? "deny" : "warn";
            out.append(paint(verdict, verdict.toUpperCase())).append(' ').append(v.key()).append(": ").append(v.message())
                    .append(" [").append(v.policy()).append(", ").append(v.location()).append("]\n");
        }
        for (String note : report.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        if (report.plan() == null && report.errors().isEmpty()) {
            out.append(report.denied() ? "Denied: " : "Valid: ").append(report.objects()).append(" objects at ")
                    .append(Values.revision(report)).append(", ").append(report.policies()).append(" policies checked\n");
        }
        if (report.plan() != null) {
            out.append(report.hasChanges() ? "Summary: " + Values.summary(report) : "No changes: "
                    + report.plan().unchanged() + " objects in sync").append('\n');
        }
        return out.toString();
    }

    private static String pad(String verb) {
        return String.format("%-7s", verb);
    }

    private String paint(String style, String text) {
        return colour ? "\u001b[" + COLOURS.get(style) + "m" + text + "\u001b[0m" : text;
    }
}
