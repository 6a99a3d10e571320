package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import dev.berth.testing.TestRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth plan} end to end on real git repositories: exact plans and exit codes. */
class PlanCommandTest {

    static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            """;
    static final String WORKER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: worker, namespace: shop}
            spec:
              containers:
                - name: main
                  image: docker.io/library/busybox:%s
                  resources: {limits: {memory: 16Mi}}
            """;
    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {tier: %s}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: httpd
                      image: docker.io/library/busybox:1.35
                      resources: {limits: {memory: 32Mi}}
            """;

    @TempDir
    Path tmp;
    TestRepo repo;
    String first;

    @BeforeEach
    void commitFirstVersion() {
        repo = TestRepo.init(tmp.resolve("repo"));
        repo.write("deploy/namespace.yaml", NAMESPACE)
                .write("deploy/worker.yaml", WORKER.formatted("1.35"))
                .write("deploy/web.yaml", WEB.formatted("front"))
                .write("README.md", "not a manifest");
        first = repo.commit("first").name();
    }

    @AfterEach
    void close() {
        repo.close();
    }

    CliRun plan(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("plan", "--repo", repo.dir().toString(), "--path", "deploy",
                "--root", tmp.resolve("state").toString()));
        args.addAll(List.of(extra));
        if (!args.contains("-o")) {
            args.addAll(List.of("-o", "json"));
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> changes(CliRun run) {
        return (List<Map<String, Object>>) run.json().get("changes");
    }

    static List<String> summary(CliRun run) {
        return changes(run).stream().map(c -> c.get("action") + " " + c.get("kind") + " " + c.get("namespace") + "/" + c.get("name")).toList();
    }

    @Test
    void firstPlanCreatesEverythingInWaveOrder() {
        CliRun run = plan();
        assertEquals(ExitCodes.CHANGES, run.exitCode(), run::toString);
        assertEquals(List.of("create Namespace /shop", "create Deployment shop/web", "create Pod shop/worker"), summary(run));
        assertEquals(first, run.json().get("revision"));
        assertEquals("empty", run.json().get("against"));
        assertEquals(0, run.json().get("unchanged"));
    }

    @Test
    void sameRefIsANoOp() {
        CliRun run = plan("--against", "ref:" + first);
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertEquals(List.of(), changes(run));
        assertEquals(3, run.json().get("unchanged"));
    }

    @Test
    void imageChangeReplacesThePodWithAFieldDiff() {
        repo.write("deploy/worker.yaml", WORKER.formatted("1.36"));
        repo.commit("bump worker");
        CliRun run = plan("--against", "ref:" + first);
        assertEquals(ExitCodes.CHANGES, run.exitCode(), run::toString);
        assertEquals(List.of("replace Pod shop/worker"), summary(run));
        Map<String, Object> change = changes(run).get(0);
        assertEquals("pod spec changed; pods are immutable", change.get("reason"));
        assertEquals(List.of(Map.of("path", "/spec/containers/0/image",
                "old", "docker.io/library/busybox:1.35", "new", "docker.io/library/busybox:1.36")), change.get("diff"));
    }

    @Test
    void labelChangeUpdatesInPlace() {
        repo.write("deploy/web.yaml", WEB.formatted("back"));
        repo.commit("relabel");
        CliRun run = plan("--against", "ref:" + first);
        assertEquals(List.of("update Deployment shop/web"), summary(run));
        assertEquals("1 field of metadata changed", changes(run).get(0).get("reason"));
        assertEquals(List.of(Map.of("path", "/metadata/labels/tier", "old", "front", "new", "back")), changes(run).get(0).get("diff"));
    }

    @Test
    void deletedFileIsPruned() {
        repo.delete("deploy/worker.yaml");
        repo.commit("retire worker");
        CliRun run = plan("--against", "ref:" + first);
        assertEquals(ExitCodes.CHANGES, run.exitCode(), run::toString);
        assertEquals(List.of("delete Pod shop/worker"), summary(run));
        assertEquals("no longer in the repository", changes(run).get(0).get("reason"));
    }

    @Test
    void pruneFalseKeepsTheObject() {
        repo.write("deploy/worker.yaml", WORKER.formatted("1.35").replace("namespace: shop}",
                "namespace: shop, annotations: {berth.dev/prune: \"false\"}}"));
        String kept = repo.commit("keep worker").name();
        repo.delete("deploy/worker.yaml");
        repo.commit("retire worker");
        CliRun run = plan("--against", "ref:" + kept);
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertEquals(List.of(Map.of("kind", "Pod", "namespace", "shop", "name", "worker")), run.json().get("kept"));
    }

    @Test
    void readsTheCommittedTreeNotTheWorkingDirectory() {
        repo.write("deploy/worker.yaml", "this: [is not, committed");
        repo.write("deploy/extra.yaml", NAMESPACE.replace("shop", "extra"));
        CliRun run = plan("--against", "ref:" + first);
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    }

    @Test
    void branchAndTagRefs() {
        repo.tag("v1");
        repo.branch("feature");
        repo.checkout("feature");
        repo.write("deploy/web.yaml", WEB.formatted("canary"));
        repo.commit("on feature");
        repo.checkout("main");
        assertEquals(List.of("update Deployment shop/web"), summary(plan("--ref", "feature", "--against", "ref:v1")));
        assertEquals(ExitCodes.OK, plan("--ref", "v1", "--against", "ref:main").exitCode());
        assertEquals(ExitCodes.OK, plan("--ref", first.substring(0, 8), "--against", "ref:" + first).exitCode());
    }

    @Test
    void secretValuesNeverAppear() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData: {password: %s}\n";
        repo.write("deploy/secret.yaml", secret.formatted("hunter2"));
        String before = repo.commit("secret").name();
        repo.write("deploy/secret.yaml", secret.formatted("correct-horse"));
        repo.commit("rotate");
        for (String format : List.of("json", "text", "markdown")) {
            CliRun run = plan("--against", "ref:" + before, "-o", format);
            assertEquals(ExitCodes.CHANGES, run.exitCode(), run::toString);
            assertFalse(run.out().contains("hunter2") || run.out().contains("aHVudGVyMg"), run::toString);
            assertFalse(run.out().contains("correct-horse") || run.out().contains("Y29ycmVjdC1ob3Jzz"), run::toString);
        }
        assertEquals(List.of(Map.of("path", "/data/password", "sensitive", true)), changes(plan("--against", "ref:" + before)).get(0).get("diff"));
    }

    @Test
    void textOutputIsShort() {
        CliRun run = plan("-o", "text");
        assertEquals("""
                Plan for %s against empty
                  + create  Namespace shop  (not on the target)
                  + create  Deployment shop/web  (not on the target)
                  + create  Pod shop/worker  (not on the target)
                Summary: 3 to create, 0 unchanged
                """.formatted(first.substring(0, 12)), run.out());
        assertTrue(run.err().isEmpty(), run::toString);
    }
}
