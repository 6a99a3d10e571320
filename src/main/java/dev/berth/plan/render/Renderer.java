package dev.berth.plan.render;

import dev.berth.plan.PlanReport;

/** Turns a {@link PlanReport} into text for a terminal, a machine or a pull-request comment. */
public interface Renderer {

    String render(PlanReport report);

    /** The renderer for {@code -o NAME}: text, json or markdown. */
    static Renderer named(String name, boolean colour) {
        return switch (name) {
            case "text" -> new TextRenderer(colour);
            case "json" -> new JsonRenderer();
            case "markdown", "md" -> new MarkdownRenderer();
            default -> throw new IllegalArgumentException("unknown output format \"" + name + "\" (text, json or markdown)");
        };
    }
}
