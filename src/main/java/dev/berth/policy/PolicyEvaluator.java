package dev.berth.policy;

import com.google.protobuf.NullValue;
import dev.cel.runtime.CelEvaluationException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs one policy's CEL against one admission target, the way the API server does for a create. */
final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /** The admission variables for a target, shared by all policies evaluated on it. */
    static Map<String, Object> activation(AdmissionTarget target) {
        ResourceType type = target.type();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", Map.of("group", type.group(), "version", type.version(), "kind", type.kind()));
        request.put("resource", Map.of("group", type.group(), "version", type.version(), "resource", type.resource()));
        request.put("requestKind", request.get("kind"));
        request.put("requestResource", request.get("resource"));
        request.put("subResource", "");
        request.put("name", target.key().name());
        request.put("namespace", type.namespaced() ? target.key().namespace() : "");
        request.put("operation", "CREATE");
        request.put("dryRun", false);
        Map<String, Object> activation = new HashMap<>();
        activation.put("object", CelValues.of(target.object()));
        activation.put("oldObject", NullValue.NULL_VALUE);
        activation.put("request", CelValues.of(request));
        activation.put("namespaceObject", CelValues.of(target.namespaceObject()));
        activation.put("params", NullValue.NULL_VALUE);
        return activation;
    }

    /** The messages of the validations that fail; empty when the policy does not apply or all pass. */
    static List<String> failures(AdmissionPolicy policy, Map<String, Object> admission) {
        Map<String, Object> activation = new HashMap<>(admission);
        activation.put("variables", new LazyVariables(policy.variables(), activation));
        List<String> failures = new ArrayList<>();
        for (AdmissionPolicy.NamedExpression condition : policy.matchConditions()) {
            try {
                if (!Boolean.TRUE.equals(condition.expression().eval(activation))) {
                    return List.of();
                }
            } catch (CelEvaluationException e) {
                return policy.ignoreFailures() ? List.of()
                        : List.of("match condition '" + condition.name() + "' resulted in error: " + e.getMessage());
            }
        }
        for (AdmissionPolicy.Validation validation : policy.validations()) {
            CompiledExpression expression = validation.expression();
            try {
                if (!Boolean.TRUE.equals(expression.eval(activation))) {
                    failures.add(message(validation, activation));
                }
            } catch (CelEvaluationException e) {
                if (!policy.ignoreFailures()) {
                    failures.add("expression '" + expression.source() + "' resulted in error: " + e.getMessage());
                }
            }
        }
        return failures;
    }

    /** As in the API server: messageExpression wins unless it fails or is blank, then message, then a default. */
    private static String message(AdmissionPolicy.Validation validation, Map<String, Object> activation) {
        if (validation.messageExpression() != null) {
            try {
                Object text = validation.messageExpression().eval(activation);
                if (text instanceof String s && !s.isBlank()) {
                    return s.strip();
                }
            } catch (CelEvaluationException e) {
                // fall back to the static message, as the API server does
            }
        }
        if (validation.message() != null && !validation.message().isBlank()) {
            return validation.message().strip();
        }
        return "failed expression: " + validation.expression().source();
    }

    /**
     * {@code variables.<name>}, each computed on first use and then kept, like the API server's lazy variables; a
     * variable that fails makes the expression using it fail, not the whole policy (the CEL runtime turns the
     * exception thrown here into an evaluation error of that expression).
     */
    private static final class LazyVariables extends AbstractMap<String, Object> {

        private final Map<String, AdmissionPolicy.NamedExpression> byName = new LinkedHashMap<>();
        private final Map<String, Object> activation;
        private final Map<String, Object> computed = new HashMap<>();

        LazyVariables(List<AdmissionPolicy.NamedExpression> variables, Map<String, Object> activation) {
            variables.forEach(v -> byName.put(v.name(), v));
            this.activation = activation;
        }

        @Override
        public boolean containsKey(Object name) {
            return byName.containsKey(name);
        }

        @Override
        public Object get(Object name) {
            AdmissionPolicy.NamedExpression variable = byName.get(name);
            if (variable == null) {
                return null;
            }
            // not computeIfAbsent: a variable may use an earlier one, which would modify the map mid-compute
            if (!computed.containsKey(variable.name())) {
                try {
                    computed.put(variable.name(), variable.expression().eval(activation));
                } catch (CelEvaluationException e) {
                    throw new IllegalStateException(
                            "variable '" + variable.name() + "' resulted in error: " + e.getMessage(), e);
                }
            }
            return computed.get(variable.name());
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new LinkedHashMap<>();
            byName.keySet().forEach(name -> all.put(name, get(name)));
            return all.entrySet();
        }
    }
}
