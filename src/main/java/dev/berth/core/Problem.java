package dev.berth.core;

/** One thing wrong with the input, with where it is. */
public record Problem(SourceLocation location, String message) {

    /** The one-line form users see: {@code file:line:column: message}. */
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
