package dev.berth.plan;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Kind;
import dev.berth.manifest.Manifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pairs desired with actual and orders what must change. Pure: no I/O, so plan in CI and apply share it. */
public final class Planner {

    public Plan plan(DesiredState desired, ActualState actual) {
        List<Action> applies = new ArrayList<>();
        List<Action> deletes = new ArrayList<>();
        List<ResourceKey> kept = new ArrayList<>();
        int unchanged = 0;
        for (Manifest m : desired.manifests()) {
            Optional<LiveObject> live = actual.get(m.key());
            if (live.isEmpty()) {
                applies.add(new Action.Create(m, "not on the target"));
                continue;
            }
            Map<String, Object> form = ComparableForm.of(m, actual.secretDigest());
            if (ComparableForm.hash(form).equals(live.get().hash())) {
                unchanged++;
                continue;
            }
            applies.add(change(m, live.get(), form));
        }
        for (LiveObject live : actual.objects()) {
            if (desired.get(live.key()).isPresent()) {
                continue;
            }
            if (live.owned() && live.prunable()) {
                deletes.add(new Action.Delete(live, "no longer in the repository"));
            } else {
                kept.add(live.key());
            }
        }
        applies.sort(Comparator.comparingInt(Planner::wave).thenComparing(Action::key));
        deletes.sort(Comparator.comparingInt(Planner::wave).reversed().thenComparing(Action::key));
        List<Action> actions = new ArrayList<>(applies);
        actions.addAll(deletes);
        return new Plan(desired.revision(), List.copyOf(actions), unchanged, List.copyOf(kept));
    }

    private static Action change(Manifest m, LiveObject live, Map<String, Object> form) {
        if (live.object() == null) {
            // only a hash was recorded: something changed, but not known what
            return new Action.Update(m, live, "changed since it was applied", List.of());
        }
        List<FieldDiff> diff = Differ.diff(m.key().kind(), live.object(), form);
        Optional<String> immutable = immutableChange(m.key().kind(), diff);
        return immutable.<Action>map(reason -> new Action.Replace(m, live, reason, diff))
                .orElseGet(() -> new Action.Update(m, live, summary(diff), diff));
    }

    /** Pods cannot change their spec once created, nor Jobs their pod template: those changes replace. */
    private static Optional<String> immutableChange(String kind, List<FieldDiff> diff) {
        if (kind.equals(Kind.POD.kindName()) && touches(diff, "/spec")) {
            return Optional.of("pod spec changed; pods are immutable");
        }
        if (kind.equals(Kind.JOB.kindName()) && touches(diff, "/spec/template", "/spec/selector", "/spec/completions")) {
            return Optional.of("job template changed; it is immutable");
        }
        return Optional.empty();
    }

    private static boolean touches(List<FieldDiff> diff, String... prefixes) {
        for (FieldDiff d : diff) {
            for (String prefix : prefixes) {
                if (d.path().equals(prefix) || d.path().startsWith(prefix + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String summary(List<FieldDiff> diff) {
        boolean metadataOnly = diff.stream().allMatch(d -> d.path().startsWith("/metadata/"));
        return (diff.size() == 1 ? "1 field" : diff.size() + " fields") + (metadataOnly ? " of metadata" : "") + " changed";
    }

    private static int wave(Action action) {
        return Kind.named(action.key().kind()).map(Kind::wave).orElse(Integer.MAX_VALUE);
    }
}
