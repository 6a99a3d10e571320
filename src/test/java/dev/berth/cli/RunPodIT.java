package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** berth run-pod end to end: a real registry, real runc and conmon, real overlay mounts and namespaces. */
class RunPodIT {

    @RegisterExtension
    static final PodRunner runner = PodRunner.withBusybox();

    private CliRun runPod(String yaml) throws IOException {
        return runner.run(yaml);
    }

    /** As a user would: the built jar in its own process, interrupted with Ctrl-C (SIGINT) once the pod runs. */
    @Test
    void ctrlCStopsTheContainersGracefullyAndRemovesThePod() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("berth.jar", "target/berth.jar")));
        command.addAll(runner.arguments("""
                apiVersion: v1
                kind: Pod
                metadata: {name: trap}
                spec:
                  terminationGracePeriodSeconds: 10
                  containers:
                    - {name: main, image: busybox:1.35,
                       command: [sh, -c, "trap 'echo bye; exit 3' TERM; echo ready; while true; do sleep 0.1; done"]}
                """));
        Process berth = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(berth.getInputStream()))) {
            assertEquals("ready", out.readLine(), "the container's first line");
            new ProcessBuilder("kill", "-INT", String.valueOf(berth.pid())).start().waitFor();
            assertEquals("bye", out.readLine(), "SIGTERM reached the container's trap");
            assertTrue(berth.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(3, berth.exitValue(), "the container's exit code");
        } finally {
            berth.destroyForcibly();
        }
        try (Stream<Path> pods = Files.list(runner.dir().resolve("state/pods"))) {
            assertEquals(0, pods.count(), "the pod is removed");
        }
    }

    /** init_container.go: a failing init container stops the pod there; run-pod shows why and exits with its code. */
    @Test
    void aFailingInitContainerEndsTheRunWithItsExitCode() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: failing-init}
                spec:
                  restartPolicy: Never
                  initContainers:
                    - {name: check, image: busybox:1.35, command: [sh, -c, "echo checking; echo no database >&2; exit 3"]}
                  containers:
                    - {name: main, image: busybox:1.35, command: [sh, -c, "echo must not run"]}
                """);
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("check | checking\n", run.out(), run::toString);
        assertTrue(run.err().contains("check | no database")
                && run.err().contains("berth: init container check failed with exit code 3"), run::toString);
        try (Stream<Path> pods = Files.list(runner.dir().resolve("state/pods"))) {
            assertEquals(0, pods.count(), "the pod is removed");
        }
    }

    @Test
    void runsInitContainersThenTheAppAndReturnsItsExitCode() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: greeting}
                data: {message: hello from a configmap}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                stringData: {value: s3cret}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: demo}
                spec:
                  initContainers:
                    - {name: first, image: busybox:1.35, command: [sh, -c, "echo init one; echo one >> /work/order"],
                       volumeMounts: [{name: work, mountPath: /work}]}
                    - {name: second, image: busybox:1.35, command: [sh, -c, "echo init two; echo two >> /work/order"],
                       volumeMounts: [{name: work, mountPath: /work}]}
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "cat /work/order /config/message; echo; cat /secret/value; echo; hostname; ps -o comm; echo oops >&2; exit 7"]
                      volumeMounts:
                        - {name: work, mountPath: /work}
                        - {name: config, mountPath: /config}
                        - {name: secret, mountPath: /secret, readOnly: true}
                  volumes:
                    - {name: work, emptyDir: {}}
                    - {name: config, configMap: {name: greeting}}
                    - {name: secret, secret: {secretName: token}}
                """);
        assertEquals(7, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals(List.of("first | init one", "second | init two", "main | one", "main | two",
                        "main | hello from a configmap", "main | s3cret", "main | demo", "main | COMMAND", "main | sh",
                        "main | ps"), lines,
                "init containers in order, their output shown, volumes, hostname, and only the container's own processes");
        assertTrue(run.err().contains("main | oops"), run::toString);
        try (Stream<Path> pods = Files.list(runner.dir().resolve("state/pods"))) {
            assertEquals(0, pods.count(), "the pod is removed");
        }
    }

    @Test
    void containersOfAPodShareLocalhostAndTheirOutputIsPrefixed() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: pair}
                spec:
                  containers:
                    - name: server
                      image: busybox:1.35
                      # serves until the client says it is done (or 30 s pass)
                      command: [sh, -c, "mkdir /www && echo hi > /www/index.html && httpd -p 8080 -h /www && for i in $(seq 300); do [ -f /shared/done ] && exit 0; sleep 0.1; done; exit 1"]
                      volumeMounts: [{name: shared, mountPath: /shared}]
                    - name: client
                      image: busybox:1.35
                      command: [sh, -c, "for i in $(seq 100); do wget -q -O - http://127.0.0.1:8080/ && touch /shared/done && exit 0; sleep 0.2; done; exit 1"]
                      volumeMounts: [{name: shared, mountPath: /shared}]
                  volumes: [{name: shared, emptyDir: {}}]
                """);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("client | hi"), run::toString);
    }

    @Test
    void claimDataOutlivesThePod() throws IOException {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: writer}
                spec:
                  containers:
                    - {name: main, image: busybox:1.35, command: [sh, -c, "%s"],
                       volumeMounts: [{name: data, mountPath: /data}]}
                  volumes:
                    - {name: data, persistentVolumeClaim: {claimName: store}}
                """;
        assertEquals(0, runPod(pod.formatted("echo kept > /data/file")).exitCode());
        CliRun second = runPod(pod.formatted("cat /data/file"));
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("kept\n", second.out());
        assertEquals("kept\n", Files.readString(runner.dir().resolve("state/volumes/default/store/file")));
    }

    @Test
    void anImageThatDoesNotExistFailsCleanly() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ghost}
                spec:
                  containers: [{name: main, image: "busybox:no-such-tag"}]
                """);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: ErrImagePull: "), run::toString);
        try (Stream<Path> pods = Files.list(runner.dir().resolve("state/pods"))) {
            assertEquals(0, pods.count(), "no partial pod left");
        }
    }

    @Test
    void memoryEmptyDirsAndSecretsAreTmpfsAndHostPathsAreBound() throws IOException {
        Path host = Files.createDirectories(runner.dir().resolve("host"));
        Files.writeString(host.resolve("greeting"), "from the host\n");
        CliRun run = runPod("""
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                stringData: {value: s3cret}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: mounts}
                spec:
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "cat /host/greeting; grep -o '^tmpfs /scratch tmpfs [^ ]*size=1024k' /proc/mounts; grep -c '^tmpfs /secret ' /proc/mounts"]
                      volumeMounts:
                        - {name: scratch, mountPath: /scratch}
                        - {name: secret, mountPath: /secret}
                        - {name: host, mountPath: /host, readOnly: true}
                  volumes:
                    - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 1Mi}}
                    - {name: secret, secret: {secretName: token}}
                    - {name: host, hostPath: {path: %s, type: Directory}}
                """.formatted(host));
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals("from the host", lines.get(0), run::toString);
        assertTrue(lines.get(1).startsWith("tmpfs /scratch tmpfs rw") && lines.get(1).endsWith("size=1024k"), run::toString);
        assertEquals("1", lines.get(2), "the secret volume is a tmpfs");
    }

    @Test
    void aProcessOverItsMemoryLimitIsOomKilled() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hungry}
                spec:
                  containers:
                    - {name: main, image: busybox:1.35, command: [sh, -c, "head -c 200m /dev/zero | tail"],
                       resources: {limits: {memory: 16Mi}}}
                """);
        assertEquals(137, run.exitCode(), run::toString);
        assertTrue(run.err().lines().anyMatch("berth: container main was OOMKilled"::equals), run::toString);
    }

    @Test
    void aCommandMissingFromTheImageIsACreateContainerError() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: typo}
                spec:
                  containers: [{name: main, image: busybox:1.35, command: [no-such-binary]}]
                """);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: CreateContainerError: container main: ")
                && run.err().contains("no-such-binary") && run.err().contains("not found"), run::toString); // runc's or crun's words
    }

    /**
     * CVE-2017-1002101: a container plants a symbolic link to a host directory in a writable volume; the next mounts
     * that link as its subPath. It is refused, naming the volume, and nothing reaches the host directory.
     */
    @Test
    void aSubPathThroughASymbolicLinkIsRefusedAndTheHostIsUntouched() throws IOException {
        Path host = Files.createDirectories(runner.dir().resolve("host-dir"));
        CliRun run = runPod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: escape}
                spec:
                  initContainers:
                    - {name: plant, image: busybox:1.35, command: [ln, -s, "%s", /data/x],
                       volumeMounts: [{name: data, mountPath: /data}]}
                  containers:
                    - {name: main, image: busybox:1.35, command: [sh, -c, "echo owned > /mnt/file"],
                       volumeMounts: [{name: data, mountPath: /mnt, subPath: x}]}
                  volumes:
                    - {name: data, emptyDir: {}}
                """.formatted(host));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("CreateContainerConfigError: container main: volume data: subPath \"x\"")
                && run.err().contains("goes through a symbolic link"), run::toString);
        try (Stream<Path> written = Files.list(host)) {
            assertEquals(List.of(), written.toList(), "nothing written on the host");
        }
    }

    /**
     * configMap and secret volumes are read-only whatever the manifest says (CVE-2017-1002102), laid out as the
     * kubelet's atomic writer lays them out: the files are links through ..data to one version's directory.
     */
    @Test
    void configMapAndSecretVolumesAreReadOnlyAndWrittenAtomically() throws IOException {
        CliRun run = runPod("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {mode: fast}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: conf}
                spec:
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "echo slow > /config/mode || echo refused; cat /config/mode; echo; ls -a /config"]
                      volumeMounts: [{name: config, mountPath: /config, readOnly: false}]
                  volumes:
                    - {name: config, configMap: {name: settings}}
                """);
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertTrue(run.err().contains("Read-only file system"), run::toString);
        assertEquals(List.of("refused", "fast"), lines.subList(0, 2), run::toString);
        assertTrue(lines.contains("..data") && lines.contains("mode"), run::toString);
    }
}
