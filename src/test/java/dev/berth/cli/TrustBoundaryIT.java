package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node holds its trust boundary: what a manifest or a container controls does not reach the host. */
class TrustBoundaryIT {

    private static final String SECRET_VALUE = "s3cret-value-4242";

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        Prerequisites.requireBinaries("git", "setpriv");
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * A Secret in an env value and a volume, applied from a git server (so its manifest is in the node's git cache):
     * an unprivileged host user finds its value in no file under the state root or the run root.
     */
    @Test
    void noFileHoldingASecretValueIsReadableByAnotherHostUser() throws Exception {
        // JUnit makes its temporary directory private: open it, so that only berth's own modes protect the state root
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("secret.yaml", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: token}
                    stringData: {value: %s}
                    """.formatted(SECRET_VALUE), "pod.yaml", """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: uses-secret}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - name: main
                          image: busybox:1.35
                          command: [sleep, "3600"]
                          env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: token, key: value}}}]
                          volumeMounts: [{name: secret, mountPath: /secret}]
                      volumes:
                        - {name: secret, secret: {secretName: token}}
                    """);
            CliRun applied = CliRun.of("apply", "--repo", node.serve(), "--config", node.config.toString(),
                    "--root", node.root.toString(), "--run-root", node.runRoot.toString(), "--timeout", "2m");
            assertEquals(0, applied.exitCode(), applied.toString());
            assertTrue(node.pod("uses-secret").running("main"));
            assertFalse(grep(node.root, node.runRoot).isEmpty(), "root finds the value (the test would prove nothing else)");

            // nor does any output: the apply's, the status, a description of the pod, the history, the plan
            CliRun planned = CliRun.of("plan", "--repo", node.serve(), "--config", node.config.toString(), "--root",
                    node.root.toString(), "-o", "json");
            for (CliRun out : List.of(applied, planned, Scenarios.inspect(node, "status", "-o", "json"),
                    Scenarios.inspect(node, "describe", "pod", "uses-secret"), node.berth("history", "-o", "json"))) {
                assertFalse((out.out() + out.err()).contains(SECRET_VALUE), out::toString);
            }

            Process nobody = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "grep", "-rl", SECRET_VALUE, node.root.toString(), node.runRoot.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String found = new String(nobody.getInputStream().readAllBytes());
            nobody.waitFor();
            assertEquals("", found, "files another user can read the secret value from");
        }
    }

    /**
     * A commit with no manifests under the path (a wrong path, a bad merge) is refused: the pod keeps running and the
     * claim keeps its data; with --allow-empty the same commit prunes.
     */
    @Test
    void anEmptyCommitIsRefusedUnlessAllowedAndTheClaimKeepsItsData() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            node.commit("app.yaml", """
                    apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata: {name: data}
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources: {requests: {storage: 1Mi}}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: writer}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - name: main
                          image: busybox:1.35
                          command: [sh, -c, "echo kept > /data/marker && exec sleep 3600"]
                          volumeMounts: [{name: data, mountPath: /data}]
                      volumes:
                        - {name: data, persistentVolumeClaim: {claimName: data}}
                    """);
            CliRun applied = node.apply();
            assertEquals(0, applied.exitCode(), applied.toString());
            Path marker = node.root.resolve("volumes/default/data/marker");
            assertEquals("kept\n", Files.readString(marker));
            String started = node.pod("writer").state().containers().get("main").startedAt().toString();

            node.commit();
            CliRun refused = node.apply();
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("no manifests under") && refused.err().contains("--allow-empty"),
                    refused.toString());
            CliRun status = node.berth("status");
            assertTrue(status.out().contains("Invalid"), status.toString());
            assertEquals(started, node.pod("writer").state().containers().get("main").startedAt().toString(),
                    "the pod runs on untouched");
            assertEquals("kept\n", Files.readString(marker));

            CliRun pruned = node.apply("--allow-empty");
            assertEquals(0, pruned.exitCode(), pruned.toString());
            assertEquals(0, node.pods().size());
        }
    }

    /** grep -rl as root: the files that hold the value. */
    private static String grep(Path... roots) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("grep", "-rl", SECRET_VALUE));
        for (Path root : roots) {
            command.add(root.toString());
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
