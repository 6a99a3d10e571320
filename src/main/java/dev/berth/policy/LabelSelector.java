package dev.berth.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector: all matchLabels and all matchExpressions must hold; an empty one matches all. */
record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    record Requirement(String key, String operator, List<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                default -> value == null;
            };
        }
    }

    static LabelSelector parse(YamlNode selector) {
        List<Requirement> requirements = selector.items("matchExpressions").stream().map(expression -> {
            String operator = expression.required("operator").text();
            if (!OPERATORS.contains(operator)) {
                throw new PolicyFormatException(expression.location(),
                        "unknown selector operator '" + operator + "' (expected In, NotIn, Exists or DoesNotExist)");
            }
            return new Requirement(expression.required("key").text(), operator, expression.strings("values"));
        }).toList();
        return new LabelSelector(selector.stringMap("matchLabels"), requirements);
    }

    boolean matches(Map<String, String> labels) {
        return matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                && matchExpressions.stream().allMatch(r -> r.matches(labels));
    }
}
