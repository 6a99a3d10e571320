package dev.berth.core;

import java.util.List;
import java.util.stream.Collectors;

/** The user's input (manifests, policies, config, options) is wrong; carries every problem found. */
public class InvalidInputException extends BerthException {

    private final List<Problem> problems;

    public InvalidInputException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public InvalidInputException(SourceLocation location, String message) {
        this(List.of(new Problem(location, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
