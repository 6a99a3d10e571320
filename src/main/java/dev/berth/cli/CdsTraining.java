package dev.berth.cli;

import dev.berth.store.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;

/**
 * Representative runs of berth for the launcher's class-data-sharing archives, one archive per group of verbs: a small
 * command maps a large archive for nothing (a cold {@code status} took 0.5 s with one archive of every command's
 * classes, 0.35 s with its own), so each group gets the classes its verbs load and no others, not just what the first
 * command typed happened to load. The launcher runs a group's training once per build of the jar, in the background of
 * the first run of one of its verbs, with -XX:ArchiveClassesAtExit. It works in a temporary directory of its own
 * (repository, state root, run root, config without a pod network): nothing of the node's.
 */
public final class CdsTraining {

    private static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: content, namespace: shop}
            data: {index.html: hello}
            """;

    private static final String WORKLOADS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: httpd
                      image: docker.io/library/busybox:1.35
                      command: [httpd, -f, -p, "8080"]
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /, port: http}}
                      resources: {requests: {cpu: 50m, memory: 16Mi}, limits: {memory: 32Mi}}
                      volumeMounts: [{name: content, mountPath: /www}]
                  volumes: [{name: content, configMap: {name: content}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: shop}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: report, image: docker.io/library/busybox:1.35, command: [date]}]
            """;

    private static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: memory-limits}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE, UPDATE]}]
              validations:
                - expression: "object.spec.containers.all(c, has(c.resources.limits) && 'memory' in c.resources.limits)"
                  message: every container sets a memory limit
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: memory-limits}
            spec: {policyName: memory-limits, validationActions: [Deny]}
            """;

    private CdsTraining() {}

    /** @param args the group: base (help, version), plan (plan, validate), status (status, history), apply */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("berth-cds-");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(none);
        System.setErr(none);
        try {
            train(args.length == 0 ? "base" : args[0], dir);
        } finally {
            System.setOut(out);
            System.setErr(err);
            FileTrees.deleteRecursively(dir);
        }
        System.exit(0); // the archive is written as the JVM exits
    }

    private static void train(String group, Path dir) throws Exception {
        String repo = repository(dir.resolve("repo")).toString();
        String policies = write(dir.resolve("policies/memory-limits.yaml"), POLICY).getParent().toString();
        String config = write(dir.resolve("config.yaml"), "network: {enabled: false}\n").toString();
        List<String> node = List.of("--config", config, "--root", dir.resolve("state").toString());
        switch (group) {
            case "plan" -> {
                Main.run("validate", "--repo", repo, "--policies", policies);
                Main.run("plan", "--repo", repo, "--policies", policies);
                Main.run("plan", "--repo", repo, "--policies", policies, "-o", "json");
            }
            case "status" -> {
                Files.createDirectories(dir.resolve("state")); // a node's, if one without records yet
                Main.run(with(List.of("status"), node));
                Main.run(with(List.of("status", "-o", "json"), node));
                Main.run(with(List.of("history"), node));
            }
            case "apply" -> {
                String[] apply = with(List.of("apply", "--repo", repo, "--path", "config", "--policies", policies,
                        "--run-root", dir.resolve("run").toString()), node);
                Main.run(apply);
                Main.run(apply); // nothing to change
                // the workloads' models and their planning, which an apply of pods loads: no pod may start here
                Main.run(with(List.of("plan", "--repo", repo, "--policies", policies), node));
            }
            default -> {
                Main.run("--help");
                Main.run("version");
            }
        }
    }

    /** A repository whose config/ holds what an apply may create here (no pod), and workloads/ what plans see. */
    private static Path repository(Path dir) throws Exception {
        write(dir.resolve("config/shop.yaml"), MANIFESTS);
        write(dir.resolve("workloads/web.yaml"), WORKLOADS);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("training").setAuthor("berth", "berth@localhost")
                    .setCommitter("berth", "berth@localhost").setSign(false).call();
        }
        return dir;
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String[] with(List<String> command, List<String> options) {
        List<String> all = new ArrayList<>(command);
        all.addAll(options);
        return all.toArray(String[]::new);
    }
}
