package dev.berth.pipeline;

import dev.berth.client.ApiClient;
import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.Revision;
import dev.berth.core.SourceLocation;
import dev.berth.core.SourceUnavailableException;
import dev.berth.git.GitSource;
import dev.berth.git.Snapshot;
import dev.berth.git.SourceSpec;
import dev.berth.git.Verification;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Kind;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.RecordedState;
import dev.berth.plan.ActualState;
import dev.berth.plan.Plan;
import dev.berth.plan.PlanReport;
import dev.berth.plan.Planner;
import dev.berth.policy.PolicySet;
import dev.berth.policy.Violation;
import dev.berth.store.StateLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The read half of berth, wired once: git source -> manifests -> policies -> actual state -> planner. Every
 * failure of the input ends up in the report's errors, never as an exception, so each renderer can show it.
 */
public final class PlanPipeline {

    /** A daemon thread, so that it never holds the JVM open. */
    private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-policies");
        t.setDaemon(true);
        return t;
    });

    private final ManifestLoader loader = new ManifestLoader();
    private final Planner planner = new Planner();

    /** Parse, check the schema and the policies: no actual state, no plan. */
    public PlanReport validate(PlanRequest request) {
        return run(request, false);
    }

    public PlanReport plan(PlanRequest request) {
        return run(request, true);
    }

    private PlanReport run(PlanRequest request, boolean withPlan) {
        String againstText = withPlan ? String.valueOf(request.against()) : "none";
        Revision revision = null;
        // Compiling policies is mostly class loading; on another thread it overlaps with reading the manifests.
        CompletableFuture<PolicySet> policyLoad = CompletableFuture.supplyAsync(() -> loadPolicies(request), BACKGROUND);
        try (GitSource git = new GitSource()) {
            Against against = withPlan ? Against.parse(request.against(), request.root()) : null;
            againstText = withPlan ? against.toString() : "none";
            Snapshot snapshot = git.resolve(spec(request, request.ref()));
            revision = snapshot.revision();
            if (request.verify() != null) {
                Verification verification = git.verify(spec(request, request.ref()), snapshot, request.verify());
                if (!verification.trusted()) { // refused like invalid input: the node stays on its last good commit
                    return PlanReport.invalid(revision, againstText,
                            List.of(new Problem(SourceLocation.of(request.repo()), verification.reason())));
                }
            }
            List<Problem> problems = new ArrayList<>();
            DesiredState desired = loadManifests(snapshot, request.path(), problems);
            if (desired != null && desired.size() == 0 && !request.allowEmpty()) {
                problems.add(new Problem(SourceLocation.of(request.repo()), "no manifests under \""
                        + (request.path().isEmpty() ? "/" : request.path()) + "\" at " + revision.abbreviated()
                        + ": refusing a commit that would remove all that berth applied (a wrong --path or a bad merge"
                        + " does this); pass --allow-empty, or set source.allowEmpty: true, if that is what you want"));
            }
            PolicySet policies = join(policyLoad, problems);
            if (!problems.isEmpty()) {
                return PlanReport.invalid(revision, againstText, problems);
            }
            List<Violation> violations = policies.evaluate(desired);
            ActualState actual = withPlan ? actual(against, git, request) : null;
            Plan plan = withPlan ? planner.plan(desired, actual) : null;
            List<String> notes = new ArrayList<>(policies.notes());
            if (withPlan && !actual.secretDigest().comparesValues() && hasSecrets(desired)) {
                notes.add("Secret values were not compared: the node digests them under a key of its own; "
                        + "a plan on the node, as root, compares them");
            }
            desired.warnings().forEach(w -> notes.add(w.toString()));
            return new PlanReport(revision, againstText, plan, desired.size(), policies.size(), violations, List.of(),
                    notes);
        } catch (InvalidInputException e) {
            return PlanReport.invalid(revision, againstText, e.problems());
        } catch (SourceUnavailableException e) {
            return PlanReport.unavailable(revision, againstText, new Problem(SourceLocation.of(request.repo()), e.getMessage()));
        }
    }

    private ActualState actual(Against against, GitSource git, PlanRequest request) {
        if (against instanceof Against.Empty) {
            return ActualState.empty();
        }
        if (against instanceof Against.StateDir state) {
            if (!Files.isDirectory(state.root())) {
                throw new InvalidInputException(SourceLocation.of("--against"), "no node state at " + state.root());
            }
            return RecordedState.read(new StateLayout(state.root()));
        }
        if (against instanceof Against.Ref ref) {
            Snapshot base = git.resolve(spec(request, ref.ref()));
            List<Problem> problems = new ArrayList<>();
            DesiredState applied = loadManifests(base, request.path(), problems);
            if (!problems.isEmpty()) {
                List<Problem> located = problems.stream()
                        .map(p -> new Problem(p.location(), p.message() + " (at " + ref + ")")).toList();
                throw new InvalidInputException(located);
            }
            return ActualState.appliedFrom(applied);
        }
        return ServerState.fetch(ApiClient.fromEnvironment(((Against.Server) against).url(), request.serverCa()));
    }

    private static boolean hasSecrets(DesiredState desired) {
        return desired.manifests().stream().anyMatch(m -> m.key().kind().equals(Kind.SECRET.kindName()));
    }

    private static SourceSpec spec(PlanRequest request, String ref) {
        return new SourceSpec(request.repo(), ref, request.gitCache(), request.credentials());
    }

    private DesiredState loadManifests(Snapshot snapshot, String path, List<Problem> problems) {
        try {
            return loader.load(snapshot.tree(), path, snapshot.revision());
        } catch (InvalidInputException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static PolicySet loadPolicies(PlanRequest request) {
        if (request.policies() == null) {
            return PolicySet.empty();
        }
        if (!Files.isDirectory(request.policies())) {
            throw new InvalidInputException(SourceLocation.of(request.policies().toString()), "policies directory not found");
        }
        // read from the parent so that messages name "policies/file.yaml", as the user knows it
        Path dir = request.policies().toAbsolutePath().normalize();
        return PolicySet.load(new DirectoryTreeReader(dir.getParent()), dir.getFileName().toString());
    }

    /** The loaded policies; their problems go first in {@code problems}, as the policies judge what follows. */
    private static PolicySet join(CompletableFuture<PolicySet> load, List<Problem> problems) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InvalidInputException invalid) {
                problems.addAll(0, invalid.problems());
                return PolicySet.empty();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
