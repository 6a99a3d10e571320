package dev.berth.policy;

import dev.berth.core.Problem;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one ValidatingAdmissionPolicy or binding document into its compiled form. CEL problems are collected so
 * that one load reports all of them; a wrongly shaped document throws {@link PolicyFormatException}.
 */
final class PolicyParser {

    private final CelCompiler compiler;
    private final List<Problem> problems;

    PolicyParser(CelCompiler compiler, List<Problem> problems) {
        this.compiler = compiler;
        this.problems = problems;
    }

    /** Empty when an expression did not compile (already recorded as a problem). */
    Optional<AdmissionPolicy> policy(YamlNode document) {
        String name = document.required("metadata").required("name").text();
        YamlNode spec = document.required("spec");
        refuseParameters(spec, "paramKind");
        String failurePolicy = spec.text("failurePolicy").orElse("Fail");
        if (!failurePolicy.equals("Fail") && !failurePolicy.equals("Ignore")) {
            throw new PolicyFormatException(spec.required("failurePolicy").location(),
                    "failurePolicy must be Fail or Ignore, not '" + failurePolicy + "'");
        }
        YamlNode constraints = spec.required("matchConstraints");
        if (constraints.items("resourceRules").isEmpty()) {
            throw new PolicyFormatException(constraints.location(), constraints.path() + ".resourceRules is required");
        }
        int problemsBefore = problems.size();
        var matchConditions = namedExpressions(name, spec, "matchConditions", true);
        var variables = namedExpressions(name, spec, "variables", false);
        List<AdmissionPolicy.Validation> validations = new ArrayList<>();
        for (YamlNode validation : spec.items("validations")) {
            var expression = compiler.compile(name, validation.required("expression"), SimpleType.BOOL, problems);
            var messageExpression = validation.field("messageExpression")
                    .flatMap(e -> compiler.compile(name, e, SimpleType.STRING, problems));
            String message = validation.text("message").orElse(null);
            expression.ifPresent(e -> validations.add(
                    new AdmissionPolicy.Validation(e, message, messageExpression.orElse(null))));
        }
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        return Optional.of(new AdmissionPolicy(name, MatchResources.parse(constraints),
                failurePolicy.equals("Ignore"), matchConditions, variables, validations));
    }

    PolicyBinding binding(YamlNode document) {
        String name = document.required("metadata").required("name").text();
        YamlNode spec = document.required("spec");
        refuseParameters(spec, "paramRef");
        YamlNode actions = spec.required("validationActions");
        List<String> names = new ArrayList<>();
        for (YamlNode item : actions.items()) {
            if (!List.of("Deny", "Warn", "Audit").contains(item.text())) {
                throw new PolicyFormatException(item.location(),
                        "unknown validation action '" + item.text() + "' (expected Deny, Warn or Audit)");
            }
            names.add(item.text());
        }
        if (names.isEmpty()) {
            throw new PolicyFormatException(actions.location(), actions.path() + " must not be empty");
        }
        Optional<Enforcement> action = names.contains("Deny") ? Optional.of(Enforcement.DENY)
                : names.contains("Warn") ? Optional.of(Enforcement.WARN) : Optional.empty();
        MatchResources matchResources = spec.field("matchResources").map(MatchResources::parse).orElse(null);
        return new PolicyBinding(name, spec.required("policyName").text(), action, matchResources);
    }

    private List<AdmissionPolicy.NamedExpression> namedExpressions(String policy, YamlNode spec, String key,
                                                                   boolean mustBeBool) {
        List<AdmissionPolicy.NamedExpression> result = new ArrayList<>();
        for (YamlNode item : spec.items(key)) {
            String itemName = item.required("name").text();
            compiler.compile(policy, item.required("expression"), mustBeBool ? SimpleType.BOOL : null, problems)
                    .ifPresent(e -> result.add(new AdmissionPolicy.NamedExpression(itemName, e)));
        }
        return result;
    }

    /** Parameters come from other cluster objects, which berth has no way to look up. */
    private static void refuseParameters(YamlNode spec, String key) {
        spec.field(key).ifPresent(node -> {
            throw new PolicyFormatException(node.location(), key + " is not supported by berth");
        });
    }
}
