package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.Revision;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.SecretDigest;
import dev.berth.node.RecordedState;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies deciding the exit code, and plans against a node's recorded state. */
class PolicyAndStateTest {

    @TempDir
    Path tmp;
    TestRepo repo;
    String first;

    @BeforeEach
    void init() {
        repo = TestRepo.init(tmp.resolve("repo"));
        repo.write("namespace.yaml", PlanCommandTest.NAMESPACE).write("worker.yaml", PlanCommandTest.WORKER.formatted("1.35"));
        first = repo.commit("first").name();
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private CliRun run(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--repo", repo.dir().toString(), "--root", tmp.resolve("state").toString(), "-o", "json"));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void shippedPoliciesDenyAnUnpinnedImage() {
        repo.write("worker.yaml", PlanCommandTest.WORKER.formatted("latest"));
        repo.commit("unpin");
        for (String verb : List.of("plan", "validate")) {
            CliRun run = run(verb, "--policies", "policies");
            assertEquals(ExitCodes.DENIED, run.exitCode(), run::toString);
            assertEquals(List.of(Map.of("policy", "pinned-images", "kind", "Pod", "namespace", "shop", "name", "worker",
                    "message", "images must be pinned to a tag other than latest or to a digest: docker.io/library/busybox:latest",
                    "action", "deny", "file", "worker.yaml", "line", 1)), run.json().get("violations"));
        }
    }

    @Test
    void warnBindingsReportButDoNotBlock() throws IOException {
        Path policies = Files.createDirectories(tmp.resolve("warn-policies"));
        Files.writeString(policies.resolve("labels.yaml"), """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: team-label}
                spec:
                  matchConstraints:
                    resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE, UPDATE]}]
                  validations:
                    - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
                      message: pods should say which team owns them
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: team-label}
                spec: {policyName: team-label, validationActions: [Warn]}
                """);
        CliRun run = run("plan", "--policies", policies.toString());
        assertEquals(ExitCodes.CHANGES, run.exitCode(), run::toString);
        assertEquals(List.of(Map.of("policy", "team-label", "kind", "Pod", "namespace", "shop", "name", "worker",
                "message", "pods should say which team owns them", "action", "warn", "file", "worker.yaml", "line", 1)),
                run.json().get("violations"));
    }

    /** Records the desired state at a commit as if a node had applied it. */
    private void recordApplied(String sha) {
        Path checkout = tmp.resolve("applied");
        try (var git = org.eclipse.jgit.api.Git.cloneRepository().setURI(repo.dir().toUri().toString())
                .setDirectory(checkout.toFile()).call()) {
            git.checkout().setName(sha).call();
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new IllegalStateException(e);
        }
        DesiredState applied = new ManifestLoader().load(new DirectoryTreeReader(checkout), "", new Revision(sha));
        StateLayout layout = new StateLayout(tmp.resolve("state"));
        ObjectRecords records = new ObjectRecords(layout);
        SecretDigest secrets = NodeSecretKey.require(layout);
        applied.manifests().forEach(m -> records.write(RecordedState.recordOf(m, secrets, new Revision(sha), Instant.now())));
    }

    @Test
    void plansAgainstTheNodesRecordedStateByDefault() {
        recordApplied(first);
        CliRun same = run("plan");
        assertEquals(ExitCodes.OK, same.exitCode(), same::toString);
        assertEquals("state:" + tmp.resolve("state"), same.json().get("against"));
        assertEquals(2, same.json().get("unchanged"));

        repo.write("worker.yaml", PlanCommandTest.WORKER.formatted("1.36"));
        repo.delete("namespace.yaml");
        repo.commit("bump and drop namespace");
        CliRun changed = run("plan");
        assertEquals(ExitCodes.CHANGES, changed.exitCode(), changed::toString);
        assertEquals(List.of("replace Pod shop/worker", "delete Namespace /shop"), PlanCommandTest.summary(changed));
    }

    @Test
    void secretsAreRecordedAsDigestsOnly() throws IOException {
        repo.write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\nstringData: {password: hunter2}\n");
        recordApplied(repo.commit("secret").name());
        Path record = new StateLayout(tmp.resolve("state")).record(new dev.berth.core.ResourceKey("Secret", "shop", "db"));
        String json = Files.readString(record);
        assertTrue(json.contains("\"password\" : \"hmac-sha256:"), json);
        assertTrue(!json.contains("hunter2") && !json.contains("aHVudGVyMg"), json);
        assertEquals(ExitCodes.OK, run("plan").exitCode());
    }

    @Test
    void serverAgainstNeedsAReachableServer() throws Exception {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            CliRun run = run("plan", "--against", "server:http://127.0.0.1:" + port);
            assertEquals(ExitCodes.ERROR, run.exitCode(), run::toString);
            assertTrue(((List<?>) run.json().get("errors")).toString().contains("cannot reach http://127.0.0.1:" + port),
                    run::toString);
        }
    }
}
