package dev.berth.policy;

import java.util.List;

/** A compiled ValidatingAdmissionPolicy. */
record AdmissionPolicy(String name, MatchResources matchConstraints, boolean ignoreFailures,
                       List<NamedExpression> matchConditions, List<NamedExpression> variables,
                       List<Validation> validations) {

    record NamedExpression(String name, CompiledExpression expression) {
    }

    /** {@code messageExpression} may be null; {@code message} may be null. */
    record Validation(CompiledExpression expression, String message, CompiledExpression messageExpression) {
    }
}
