package dev.berth.policy;

import dev.berth.core.SourceLocation;
import java.util.Optional;

/**
 * A ValidatingAdmissionPolicyBinding. {@code action} is empty for an Audit-only binding, whose results a cluster
 * only logs; {@code matchResources} null means no further narrowing.
 */
record PolicyBinding(String name, String policyName, Optional<Enforcement> action, MatchResources matchResources,
                     SourceLocation location) {

    boolean matches(AdmissionTarget target) {
        return matchResources == null || matchResources.matches(target);
    }
}
