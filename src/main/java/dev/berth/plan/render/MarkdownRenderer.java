package dev.berth.plan.render;

import dev.berth.core.Problem;
import dev.berth.plan.Action;
import dev.berth.plan.FieldDiff;
import dev.berth.plan.PlanReport;
import dev.berth.policy.Violation;
import java.util.Map;

/** A pull-request comment: a table of changes, field diffs folded away, then policy results. */
final class MarkdownRenderer implements Renderer {

    private static final Map<String, String> ICONS =
            Map.of("create", ":heavy_plus_sign:", "update", ":pencil2:", "replace", ":arrows_counterclockwise:",
                    "delete", ":x:");

    @Override
    public String render(PlanReport report) {
        StringBuilder md = new StringBuilder("### berth plan for `").append(Values.revision(report))
                .append("` against `").append(report.against()).append("`\n\n");
        if (!report.errors().isEmpty()) {
            md.append("**Invalid input**\n\n");
            for (Problem p : report.errors()) {
                md.append("- `").append(p.location()).append("`: ").append(cell(p.message())).append('\n');
            }
            md.append('\n');
        }
        if (report.plan() != null) {
            changes(report, md);
        }
        if (!report.violations().isEmpty()) {
            md.append("**Policy**\n\n| Result | Policy | Object | Message |\n|---|---|---|---|\n");
            for (Violation v : report.violations()) {
                md.append("| ").append(v.action().name()).append(" | ").append(v.policy()).append(" | ")
                        .append(cell(v.key().toString())).append(" | ").append(cell(v.message())).append(" |\n");
            }
            md.append('\n');
        }
        for (String note : report.notes()) {
            md.append("> ").append(note).append('\n');
        }
        return md.toString();
    }

    private static void changes(PlanReport report, StringBuilder md) {
        if (!report.hasChanges()) {
            md.append("No changes: ").append(report.plan().unchanged()).append(" objects in sync.\n\n");
            return;
        }
        md.append("| | Action | Kind | Namespace | Name | Reason |\n|---|---|---|---|---|---|\n");
        for (Action a : report.plan().actions()) {
            md.append("| ").append(ICONS.get(a.verb())).append(" | ").append(a.verb()).append(" | ")
                    .append(a.key().kind()).append(" | ").append(a.key().namespace()).append(" | ")
                    .append(a.key().name()).append(" | ").append(cell(a.reason())).append(" |\n");
        }
        md.append("\n**Summary:** ").append(Values.summary(report)).append("\n\n");
        boolean anyDiff = report.plan().actions().stream().anyMatch(a -> !a.diff().isEmpty());
        if (anyDiff) {
            md.append("<details><summary>Field changes</summary>\n\n");
            for (Action a : report.plan().actions()) {
                if (a.diff().isEmpty()) {
                    continue;
                }
                md.append("`").append(a.verb()).append(' ').append(a.key()).append("`\n\n```\n");
                for (FieldDiff d : a.diff()) {
                    md.append(Values.change(d)).append('\n');
                }
                md.append("```\n\n");
            }
            md.append("</details>\n\n");
        }
    }

    /** Table cells cannot hold pipes or line breaks. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
