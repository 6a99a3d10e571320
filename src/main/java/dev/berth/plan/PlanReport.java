package dev.berth.plan;

import dev.berth.core.Problem;
import dev.berth.core.Revision;
import dev.berth.policy.Enforcement;
import dev.berth.policy.Violation;
import java.util.List;

/**
 * Everything one run of {@code plan} or {@code validate} found, for the renderers.
 *
 * @param plan     null when the input was invalid or no plan was asked for (validate)
 * @param against  what the desired state was compared with, e.g. "empty", "state:/var/lib/berth", "ref:main"
 * @param objects  how many desired objects were read
 * @param policies how many policies were checked
 * @param unavailable the source could not be read (out of reach, or no such ref): {@code errors} say why; nothing
 *                    was wrong with the input
 */
public record PlanReport(Revision revision, String against, Plan plan, int objects, int policies,
                         List<Violation> violations, List<Problem> errors, List<String> notes, boolean unavailable) {

    public PlanReport(Revision revision, String against, Plan plan, int objects, int policies,
                      List<Violation> violations, List<Problem> errors, List<String> notes) {
        this(revision, against, plan, objects, policies, violations, errors, notes, false);
    }

    public static PlanReport invalid(Revision revision, String against, List<Problem> errors) {
        return new PlanReport(revision, against, null, 0, 0, List.of(), errors, List.of());
    }

    /** The source could not be read: {@code problem} says why. */
    public static PlanReport unavailable(Revision revision, String against, Problem problem) {
        return new PlanReport(revision, against, null, 0, 0, List.of(), List.of(problem), List.of(), true);
    }

    public PlanReport withoutNotes() {
        return new PlanReport(revision, against, plan, objects, policies, violations, errors, List.of(), unavailable);
    }

    public boolean denied() {
        return violations.stream().anyMatch(v -> v.action() == Enforcement.DENY);
    }

    public boolean hasChanges() {
        return plan != null && plan.hasChanges();
    }
}
