package dev.berth.scheduler;

import java.util.List;

/**
 * A pod's {@code requiredDuringSchedulingIgnoredDuringExecution} node affinity: the node must match at least one
 * term, and a term matches when all its label expressions and field requirements hold. Preferred terms are not
 * here: with one node they only rank the node against itself.
 */
public record NodeAffinity(List<Term> required) {

    /** No required affinity: every node qualifies. */
    public static final NodeAffinity NONE = new NodeAffinity(null);

    /** Only {@code metadata.name} is a node field a term may select on. */
    public static final String NAME_FIELD = "metadata.name";

    public NodeAffinity {
        required = required == null ? null : List.copyOf(required);
    }

    /** {@code matchExpressions} against the node's labels, {@code matchFields} against its name. */
    public record Term(List<NodeSelectorRequirement> matchExpressions, List<NodeSelectorRequirement> matchFields) {

        public Term {
            matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
            matchFields = matchFields == null ? List.of() : List.copyOf(matchFields);
        }

        /** An empty term selects no node, as in Kubernetes. */
        boolean matches(NodeCapacity node) {
            if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
                return false;
            }
            return matchExpressions.stream().allMatch(r -> r.matches(node.labels().get(r.key())))
                    && matchFields.stream().allMatch(r -> r.matches(NAME_FIELD.equals(r.key()) ? node.name() : null));
        }
    }

    boolean admits(NodeCapacity node) {
        return required == null || required.stream().anyMatch(term -> term.matches(node));
    }
}
