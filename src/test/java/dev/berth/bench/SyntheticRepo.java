package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A git repository of n objects in namespaces of 50 (1 Namespace, then a mix of ConfigMaps, Secrets, Deployments,
 * Services, Pods and Jobs), in files of 10 documents. Two commits: the base, then a head where 1 object in 100
 * changed, as one pull request would. Every container sets memory limits and a pinned image, so the shipped
 * policies pass.
 */
final class SyntheticRepo {

    record Generated(Path dir, String baseCommit, int changed) {
    }

    private static final int PER_NAMESPACE = 50;
    private static final int PER_FILE = 10;
    private static final String[] MIX = {"ConfigMap", "Secret", "Deployment", "Service", "Pod", "Job", "ConfigMap"};

    private SyntheticRepo() {
    }

    static Generated create(Path dir, int n) throws IOException, GitAPIException {
        if (n % PER_NAMESPACE != 0) {
            throw new IllegalArgumentException("n must be a multiple of " + PER_NAMESPACE);
        }
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            write(dir, n, false);
            String base = commit(git, "base: " + n + " objects");
            int changed = write(dir, n, true);
            commit(git, "change 1% of the objects");
            return new Generated(dir, base, changed);
        }
    }

    private static String commit(Git git, String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("bench", "bench@example.invalid");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    }

    /** Writes all files; on the head commit changes ~1% of the objects and returns how many. */
    private static int write(Path dir, int n, boolean head) throws IOException {
        int changes = 0;
        for (int ns = 0; ns < n / PER_NAMESPACE; ns++) {
            String namespace = "team-%03d".formatted(ns);
            List<String> docs = new ArrayList<>();
            for (int p = 0; p < PER_NAMESPACE; p++) {
                // every 101st object, so that the changes fall on every kind but Namespace
                boolean changed = head && p != 0 && (ns * PER_NAMESPACE + p) % 101 == 37;
                changes += changed ? 1 : 0;
                docs.add(p == 0 ? namespace(namespace) : object(MIX[p % MIX.length], namespace, p, changed ? "v2" : "v1"));
            }
            Path nsDir = Files.createDirectories(dir.resolve(namespace));
            for (int f = 0; f < docs.size(); f += PER_FILE) {
                String file = String.join("---\n", docs.subList(f, Math.min(f + PER_FILE, docs.size())));
                Files.writeString(nsDir.resolve("part-%02d.yaml".formatted(f / PER_FILE)), file);
            }
        }
        return changes;
    }

    private static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n  labels: {team: %1$s}\n".formatted(name);
    }

    private static String object(String kind, String ns, int p, String version) {
        String name = kind.toLowerCase() + "-" + p;
        String head = "metadata: {name: %s, namespace: %s, labels: {app: %1$s, version: %s}}\n".formatted(name, ns, version);
        return switch (kind) {
            case "ConfigMap" -> "apiVersion: v1\nkind: ConfigMap\n" + head + """
                    data:
                      version: %s
                      app.properties: |
                        log.level=info
                        cache.size=128
                    """.formatted(version);
            case "Secret" -> "apiVersion: v1\nkind: Secret\n" + head + "stringData:\n  password: s3cret-" + version + "\n";
            // selects the Deployment just before it in MIX
            case "Service" -> "apiVersion: v1\nkind: Service\n" + head + """
                    spec:
                      selector: {app: deployment-%d}
                      ports:
                        - {port: 80, targetPort: 8080}
                    """.formatted(p - 1);
            case "Deployment" -> "apiVersion: apps/v1\nkind: Deployment\n" + head + """
                    spec:
                      replicas: 2
                      selector:
                        matchLabels: {app: %s}
                      template:
                        metadata:
                          labels: {app: %1$s}
                        spec:
                    """.formatted(name) + podSpec(version, true).indent(6);
            case "Pod" -> "apiVersion: v1\nkind: Pod\n" + head + "spec:\n" + podSpec(version, false).indent(2);
            case "Job" -> "apiVersion: batch/v1\nkind: Job\n" + head
                    + "spec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: OnFailure\n"
                    + podSpec(version, false).indent(6);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The version goes into an env var, so a changed Deployment updates and a changed Pod or Job is replaced. */
    private static String podSpec(String version, boolean probes) {
        String probeLines = !probes ? "" : """
                    readinessProbe:
                      httpGet: {path: /, port: 8080}
                    livenessProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 20
                """;
        return """
                containers:
                  - name: main
                    image: docker.io/library/busybox:1.35
                    command: ["sh", "-c", "httpd -f -p 8080 -h /www"]
                    env:
                      - {name: VERSION, value: "%s"}
                    ports:
                      - containerPort: 8080
                %s    resources:
                      requests: {cpu: 50m, memory: 16Mi}
                      limits: {cpu: 200m, memory: 32Mi}
                """.formatted(version, probeLines);
    }
}
