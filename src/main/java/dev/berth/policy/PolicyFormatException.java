package dev.berth.policy;

import dev.berth.core.Problem;
import dev.berth.core.SourceLocation;

/** A policy document is shaped wrongly; the loader records it as a problem and goes on with the next document. */
final class PolicyFormatException extends RuntimeException {

    private final transient Problem problem;

    PolicyFormatException(SourceLocation location, String message) {
        super(message);
        this.problem = new Problem(location, message);
    }

    Problem problem() {
        return problem;
    }
}
