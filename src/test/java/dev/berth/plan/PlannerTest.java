package dev.berth.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure planner: pairing, classification and order. */
class PlannerTest {

    @TempDir
    Path tmp;

    private static final String NS = "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n---\n";
    private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: a}\ndata: {k: %s}\n---\n";
    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: %s, namespace: a}
            spec:
              parallelism: %d
              template: {spec: {restartPolicy: Never, containers: [{name: c, image: "busybox:%s"}]}}
            ---
            """;

    private DesiredState state(String name, String yaml) throws IOException {
        Files.createDirectories(tmp.resolve(name));
        Files.writeString(tmp.resolve(name).resolve("all.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(tmp), name, null);
    }

    private static List<String> steps(Plan plan) {
        return plan.actions().stream().map(a -> a.verb() + " " + a.key()).toList();
    }

    @Test
    void createsByWaveThenDeletesInReverse() throws IOException {
        DesiredState before = state("before", NS.formatted("a") + NS.formatted("old") + CM.formatted("gone", "1")
                + JOB.formatted("gone", 1, "1.35"));
        DesiredState after = state("after", NS.formatted("a") + JOB.formatted("new", 1, "1.35") + CM.formatted("new", "1")
                + NS.formatted("b"));
        Plan plan = new Planner().plan(after, ActualState.appliedFrom(before));
        assertEquals(List.of("create Namespace b", "create ConfigMap a/new", "create Job a/new",
                "delete Job a/gone", "delete ConfigMap a/gone", "delete Namespace old"), steps(plan));
        assertEquals(1, plan.unchanged());
    }

    @Test
    void jobTemplateChangesReplaceButParallelismUpdates() throws IOException {
        DesiredState before = state("before", JOB.formatted("j", 1, "1.35"));
        Plan image = new Planner().plan(state("image", JOB.formatted("j", 1, "1.36")), ActualState.appliedFrom(before));
        assertEquals(List.of("replace Job a/j"), steps(image));
        Plan parallel = new Planner().plan(state("parallel", JOB.formatted("j", 2, "1.35")), ActualState.appliedFrom(before));
        assertEquals(List.of("update Job a/j"), steps(parallel));
        assertEquals(List.of(new FieldDiff("/spec/parallelism", 1L, 2L, false)), parallel.actions().get(0).diff());
    }

    @Test
    void everythingIsACreateAgainstEmpty() throws IOException {
        Plan plan = new Planner().plan(state("s", CM.formatted("x", "1")), ActualState.empty());
        assertEquals(List.of("create ConfigMap a/x"), steps(plan));
    }
}
