package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void theUsageListsEveryVerbWithItsDescriptionThoughNoneIsNamed() {
        StringWriter out = new StringWriter();
        Main.commandLine("--help").usage(new PrintWriter(out));
        for (Class<?> verb : Main.VERBS) {
            CommandLine.Command command = verb.getAnnotation(CommandLine.Command.class);
            String firstLine = command.description()[0];
            String start = firstLine.substring(0, Math.min(40, firstLine.length()));
            assertTrue(out.toString().contains("  " + command.name() + " "), command.name() + " in\n" + out);
            assertTrue(out.toString().replaceAll("\\s+", " ").contains(start), firstLine + " in\n" + out);
        }
    }

    @Test
    void aNamedVerbGetsItsOptionsAndNoOtherVerb() {
        CommandLine cli = Main.commandLine("plan");
        assertEquals(java.util.Set.of("plan"), cli.getSubcommands().keySet());
        assertTrue(cli.getSubcommands().get("plan").getCommandSpec().findOption("--policies") != null);
    }
}
