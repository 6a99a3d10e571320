package dev.berth.doctor;

import dev.berth.core.BerthException;
import dev.berth.runtime.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A program's version as its {@code --version} prints it, e.g. "crun version 1.8.1" gives 1.8.1. */
final class ProgramVersion {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Pattern VERSION = Pattern.compile("\\bv?(\\d+(?:\\.\\d+)+)\\b");

    private ProgramVersion() {}

    /** Empty when the program does not run, or prints no version: it may still do its work. */
    static Optional<String> of(Path program) {
        try {
            Command.Result result = Command.run(List.of(program.toString(), "--version"), Map.of(), new byte[0], DEADLINE);
            return result.exitCode() == 0 ? parse(result.stdout() + result.stderr()) : Optional.empty();
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    /** The first dotted number of the first line that has one. */
    static Optional<String> parse(String output) {
        for (String line : output.split("\n")) {
            Matcher m = VERSION.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
