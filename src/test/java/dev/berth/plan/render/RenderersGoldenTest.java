package dev.berth.plan.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.Problem;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.plan.ActualState;
import dev.berth.plan.Plan;
import dev.berth.plan.PlanReport;
import dev.berth.plan.Planner;
import dev.berth.policy.Enforcement;
import dev.berth.policy.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three renderers against files under src/test/resources/golden. After an intended change of output, rewrite
 * them with {@code mvn test -Dtest=RenderersGoldenTest -Dgolden.update=true} and review the diff.
 */
class RenderersGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "markdown"})
    void planWithEveryKindOfChange(String format) throws IOException {
        check("plan." + format, Renderer.named(format, false).render(report()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "markdown"})
    void invalidInput(String format) throws IOException {
        PlanReport invalid = PlanReport.invalid(revision('b'), "empty", List.of(
                new Problem(new SourceLocation("deploy/web.yaml", 7, 13), "field \"spec.replicas\": expected integer, got string \"two\""),
                new Problem(new SourceLocation("deploy/x.yaml", 2, 1), "unknown kind \"Gadget\"")));
        check("invalid." + format, Renderer.named(format, false).render(invalid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "markdown"})
    void noChanges(String format) throws IOException {
        PlanReport same = new PlanReport(revision('c'), "ref:main", new Plan(revision('c'), List.of(), 12, List.of()),
                12, 4, List.of(), List.of(), List.of());
        check("nochange." + format, Renderer.named(format, false).render(same));
    }

    private PlanReport report() throws IOException {
        DesiredState before = load("before", revision('a'), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: worker, namespace: shop}
                spec: {containers: [{name: main, image: "busybox:1.35", resources: {limits: {memory: 16Mi}}}]}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web, namespace: shop, labels: {tier: front}}
                data: {index.html: hello}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: shop}
                stringData: {password: old-secret}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  schedule: "0 2 * * *"
                  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: "busybox:1.35"}]}}}}
                """);
        DesiredState after = load("after", revision('b'), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: worker, namespace: shop}
                spec: {containers: [{name: main, image: "busybox:1.36", resources: {limits: {memory: 16Mi}}}]}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web, namespace: shop, labels: {tier: back}}
                data: {index.html: "hello | world"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: shop}
                stringData: {password: new-secret}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: extra, namespace: shop}
                spec: {containers: [{name: main, image: "busybox:latest"}]}
                """);
        Plan plan = new Planner().plan(after, ActualState.appliedFrom(before));
        List<Violation> violations = List.of(
                new Violation("pinned-images", new ResourceKey("Pod", "shop", "extra"),
                        "images must be pinned to a tag other than latest or to a digest: busybox:latest", Enforcement.DENY,
                        new SourceLocation("after/all.yaml", 21, 1)),
                new Violation("memory-limits", new ResourceKey("Pod", "shop", "extra"),
                        "every container needs resources.limits.memory: main", Enforcement.WARN,
                        new SourceLocation("after/all.yaml", 21, 1)));
        return new PlanReport(revision('b'), "ref:main", plan, after.size(), 2, violations, List.of(),
                List.of("policy 'unused' has no binding: it is not enforced (as in a cluster)"));
    }

    private DesiredState load(String dir, Revision revision, String yaml) throws IOException {
        Files.createDirectories(tmp.resolve(dir));
        Files.writeString(tmp.resolve(dir).resolve("all.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(tmp), dir, revision);
    }

    private static Revision revision(char c) {
        return new Revision(String.valueOf(c).repeat(40));
    }

    private static void check(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }
        assertEquals(Files.readString(file), actual, name);
    }
}
