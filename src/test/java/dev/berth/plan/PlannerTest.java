package dev.berth.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.ComparableForm;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.SecretDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    private static final String SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: %s\n";

    @Test
    void aChangedSecretValueIsAnUpdateWhoseDiffHidesTheValues() throws IOException {
        Plan plan = new Planner().plan(state("after", SECRET.formatted("{k: hunter3}")),
                ActualState.appliedFrom(state("before", SECRET.formatted("{k: hunter2}"))));
        assertEquals(List.of("update Secret a/s"), steps(plan));
        FieldDiff diff = plan.actions().get(0).diff().get(0);
        assertEquals("/data/k", diff.path());
        assertTrue(diff.sensitive() && !diff.toString().contains("aHVudGVy"), diff.toString());
    }

    /** Against a node whose key the planner lacks (a server, in CI), values cannot be compared; keys still are. */
    @Test
    void withoutTheNodesKeySecretValuesAreNotComparedButTheirKeysAre() throws IOException {
        DesiredState before = state("before", SECRET.formatted("{k: hunter2}"));
        SecretDigest node = SecretDigest.keyed(new byte[32]);
        List<LiveObject> recorded = before.manifests().stream().map(m -> {
            Map<String, Object> form = ComparableForm.of(m, node);
            return new LiveObject(m.key(), form, ComparableForm.hash(form), null, true, true);
        }).toList();
        ActualState server = new ActualState(recorded, SecretDigest.notCompared());
        assertEquals(List.of(), steps(new Planner().plan(state("value", SECRET.formatted("{k: hunter3}")), server)));
        assertEquals(List.of("update Secret a/s"),
                steps(new Planner().plan(state("key", SECRET.formatted("{k: hunter2, extra: x}")), server)));
        assertEquals(List.of("update Secret a/s"), steps(new Planner().plan(state("value2", SECRET.formatted("{k: hunter3}")),
                new ActualState(recorded, node))), "the node, with its key, sees the change");
    }
}
