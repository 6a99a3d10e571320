package dev.berth.policy;

import dev.berth.core.TreeReader;
import dev.berth.manifest.DesiredState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ValidatingAdmissionPolicies and bindings of a policies directory, checked against desired state before it is
 * applied, with the semantics a cluster would give them.
 */
public final class PolicySet {

    private static final Comparator<Violation> ORDER = Comparator.comparing(Violation::key)
            .thenComparing(Violation::policy)
            .thenComparing(Violation::message)
            .thenComparing(Violation::action);

    private final List<AdmissionPolicy> policies;
    private final Map<String, List<PolicyBinding>> bindingsByPolicy;
    private final List<String> notes;

    PolicySet(List<AdmissionPolicy> policies, List<PolicyBinding> bindings, List<String> notes) {
        this.policies = List.copyOf(policies);
        this.bindingsByPolicy = bindings.stream().collect(Collectors.groupingBy(PolicyBinding::policyName));
        this.notes = List.copyOf(notes);
    }

    /**
     * Loads every *.yaml / *.yml file under {@code dir} of the tree and compiles all CEL.
     *
     * @throws dev.berth.core.InvalidInputException listing every problem, each with file:line:column
     */
    public static PolicySet load(TreeReader tree, String dir) {
        return new PolicyLoader().load(tree, dir);
    }

    public static PolicySet empty() {
        return new PolicySet(List.of(), List.of(), List.of());
    }

    /** The violations of the desired state, sorted by key then policy. */
    public List<Violation> evaluate(DesiredState desired) {
        Set<Violation> violations = new LinkedHashSet<>();
        for (AdmissionTarget target : AdmissionTarget.allOf(desired)) {
            Map<String, Object> admission = null;
            for (AdmissionPolicy policy : policies) {
                List<PolicyBinding> bindings = bindingsByPolicy.getOrDefault(policy.name(), List.of()).stream()
                        .filter(b -> b.action().isPresent() && b.matches(target))
                        .toList();
                if (bindings.isEmpty() || !policy.matchConstraints().matches(target)) {
                    continue;
                }
                if (admission == null) {
                    admission = PolicyEvaluator.activation(target);
                }
                for (String failure : PolicyEvaluator.failures(policy, admission)) {
                    String message = target.podTemplate() ? failure + " (in pod template)" : failure;
                    bindings.forEach(b -> violations.add(new Violation(policy.name(), target.key(), message,
                            b.action().orElseThrow(), target.location())));
                }
            }
        }
        return violations.stream().sorted(ORDER).toList();
    }

    /** Things about the policies worth telling the user that are not errors, e.g. a policy nothing binds. */
    public List<String> notes() {
        return notes;
    }

    /** The number of policies (not bindings). */
    public int size() {
        return policies.size();
    }

    static List<String> notesFor(List<AdmissionPolicy> policies, List<PolicyBinding> bindings) {
        List<String> notes = new ArrayList<>();
        Set<String> bound = bindings.stream().map(PolicyBinding::policyName).collect(Collectors.toSet());
        Set<String> names = policies.stream().map(AdmissionPolicy::name).collect(Collectors.toSet());
        for (AdmissionPolicy policy : policies) {
            if (!bound.contains(policy.name())) {
                notes.add("policy '" + policy.name() + "' has no binding: it is not enforced (as in a cluster)");
            }
        }
        for (PolicyBinding binding : bindings) {
            if (!names.contains(binding.policyName())) {
                notes.add("binding '" + binding.name() + "' names policy '" + binding.policyName()
                        + "', which does not exist: it has no effect");
            } else if (binding.action().isEmpty()) {
                notes.add("binding '" + binding.name() + "' only audits: berth does not report audit results");
            }
        }
        return notes;
    }
}
