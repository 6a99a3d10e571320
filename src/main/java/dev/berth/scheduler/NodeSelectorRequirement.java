package dev.berth.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * One requirement of a node selector term: a label (or, in {@code matchFields}, the node's {@code metadata.name})
 * related to values by an operator, with the semantics of Kubernetes' label selectors.
 */
public record NodeSelectorRequirement(String key, Operator operator, List<String> values) {

    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT }

    public NodeSelectorRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** Whether the node's value for the key ({@code null}: the node has no such label) satisfies this requirement. */
    boolean matches(String actual) {
        return switch (operator) {
            case IN -> actual != null && values.contains(actual);
            case NOT_IN -> actual == null || !values.contains(actual); // a missing label is "not in" any set
            case EXISTS -> actual != null;
            case DOES_NOT_EXIST -> actual == null;
            case GT, LT -> compares(actual);
        };
    }

    /** Gt and Lt compare integers: a label or a value that is not one matches nothing. */
    private boolean compares(String actual) {
        if (actual == null || values.size() != 1) {
            return false;
        }
        try {
            long label = Long.parseLong(actual);
            long bound = Long.parseLong(values.get(0));
            return operator == Operator.GT ? label > bound : label < bound;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
