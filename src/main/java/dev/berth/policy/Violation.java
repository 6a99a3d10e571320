package dev.berth.policy;

import dev.berth.core.ResourceKey;
import dev.berth.core.SourceLocation;

/** One validation of one policy that a desired object fails. */
public record Violation(String policy, ResourceKey key, String message, Enforcement action, SourceLocation location) {

    @Override
    public String toString() {
        return location + ": " + action + " " + key + ": policy '" + policy + "': " + message;
    }
}
