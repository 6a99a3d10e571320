package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import dev.berth.testing.TestRepo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input: exit 1 and one clear line naming the place, never a stack trace. */
class BadInputTest {

    @TempDir
    Path tmp;
    TestRepo repo;

    @BeforeEach
    void init() {
        repo = TestRepo.init(tmp.resolve("repo"));
        repo.write("ok.yaml", PlanCommandTest.NAMESPACE);
        repo.commit("ok");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private CliRun planWith(String file, String content, String... extra) {
        repo.write(file, content);
        repo.commit("bad");
        List<String> args = new java.util.ArrayList<>(List.of("plan", "--repo", repo.dir().toString(),
                "--root", tmp.resolve("state").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertOneLine(String expected, CliRun run) {
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertEquals("error: " + expected + "\n", run.err(), run::toString);
        assertFalse(run.err().contains("\tat "), run::toString);
    }

    @Test
    void malformedYaml() {
        assertOneLine("bad.yaml:4:7: invalid YAML: expected ',' or '}', but got :",
                planWith("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n  data: y: z\n"));
    }

    @Test
    void wrongType() {
        assertOneLine("app.yaml:4:8: field \"spec.replicas\": expected integer, got string \"two\"",
                planWith("app.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: \"two\"}\n"));
    }

    @Test
    void unknownKind() {
        assertOneLine("x.yaml:2:1: unknown kind \"Ingress\" (berth supports Namespace, PriorityClass, ConfigMap, Secret, "
                        + "PersistentVolumeClaim, Service, Pod, Deployment, Job, CronJob)",
                planWith("x.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"));
    }

    @Test
    void missingName() {
        assertOneLine("cm.yaml:3:1: field \"metadata.name\" is required",
                planWith("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n"));
    }

    @Test
    void duplicateKeys() {
        assertOneLine("cm.yaml:4:1: duplicate key \"metadata\" (first at line 3)",
                planWith("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nmetadata: {name: b}\n"));
    }

    @Test
    void everyProblemIsReportedInJson() {
        repo.write("a.yaml", "apiVersion: v1\nkind: Nope\nmetadata: {name: a}\n");
        CliRun run = planWith("b.yaml", "apiVersion: v1\nkind: ConfigMap\n", "-o", "json");
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertEquals(List.of(
                Map.of("file", "a.yaml", "line", 2, "column", 1, "message",
                        "unknown kind \"Nope\" (berth supports Namespace, PriorityClass, ConfigMap, Secret, PersistentVolumeClaim, "
                                + "Service, Pod, Deployment, Job, CronJob)"),
                Map.of("file", "b.yaml", "line", 1, "column", 1, "message", "field \"metadata\" is required")),
                run.json().get("errors"));
    }

    @Test
    void refThatDoesNotExist() {
        CliRun run = CliRun.of("plan", "--repo", repo.dir().toString(), "--ref", "no-such-branch", "--root", tmp.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: " + repo.dir() + ": ") && run.err().contains("no-such-branch"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    void unreachableRepository() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/ops.git";
        CliRun run = CliRun.of("plan", "--repo", url, "--root", tmp.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: " + url + ": "), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    void policyThatDoesNotCompile() throws IOException {
        Path policies = Files.createDirectories(tmp.resolve("policies"));
        Files.writeString(policies.resolve("broken.yaml"), """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: broken}
                spec:
                  matchConstraints:
                    resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}]
                  validations:
                    - expression: "object.spec.containers.all(c, c.image.startsWith('x')"
                """);
        CliRun run = CliRun.of("plan", "--repo", repo.dir().toString(), "--policies", policies.toString(), "--root", tmp.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: policies/broken.yaml:8:19: policy 'broken': "), run::toString);
        assertTrue(run.err().contains("object.spec.containers.all(c, c.image.startsWith('x')"), run::toString);
    }

    @Test
    void usageErrorsExitOneNotTwo() {
        CliRun run = CliRun.of("plan", "--no-such-option");
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run::toString);
    }

    @Test
    void missingNamedConfigFile() {
        CliRun run = CliRun.of("plan", "--repo", repo.dir().toString(), "--config", tmp.resolve("nope.yaml").toString());
        assertOneLine(tmp.resolve("nope.yaml") + ": config file not found", run);
    }

    @Test
    void unknownConfigKey() throws IOException {
        Path config = tmp.resolve("config.yaml");
        Files.writeString(config, "root: /tmp/x\nsource:\n  repo: x\n  branch: main\n");
        CliRun run = CliRun.of("validate", "--repo", repo.dir().toString(), "--config", config.toString());
        assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
        assertEquals("error: " + config + ":4:3: unknown key \"source.branch\" (allowed: allowEmpty, interval, path, policies, ref, repo, verify)\n", run.err());
    }
}
