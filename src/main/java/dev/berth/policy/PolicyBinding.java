package dev.berth.policy;

import java.util.Optional;

/**
 * A ValidatingAdmissionPolicyBinding. {@code action} is empty for an Audit-only binding, whose results a cluster
 * only logs; {@code matchResources} null means no further narrowing.
 */
record PolicyBinding(String name, String policyName, Optional<Enforcement> action, MatchResources matchResources) {

    boolean matches(AdmissionTarget target) {
        return matchResources == null || matchResources.matches(target);
    }
}
