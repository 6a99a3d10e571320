package dev.berth.cli;

import dev.berth.plan.PlanReport;
import dev.berth.plan.render.Renderer;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code -o text|json|markdown} and where the report goes. */
final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    String format;

    void print(PlanReport report, boolean quiet) {
        boolean text = format.equals("text");
        PlanReport shown = quiet && text ? report.withoutNotes() : report;
        // Text errors go to stderr so a pipeline reading stdout sees only the plan; json/markdown keep them inside.
        PrintStream out = text && !report.errors().isEmpty() ? System.err : System.out;
        out.print(Renderer.named(format, text && colourTerminal()).render(shown));
        out.flush();
    }

    private static boolean colourTerminal() {
        return System.console() != null && System.getenv("NO_COLOR") == null;
    }
}
