package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import dev.berth.core.ResourceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

    @TempDir
    Path dir;

    private DesiredState load(String file, String yaml) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private String error(String yaml) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load("bad.yaml", yaml));
        return e.getMessage();
    }

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: worker
            spec:
              containers:
                - name: main
                  image: docker.io/library/busybox:1.35
                  resources:
                    limits: {cpu: %s, memory: %s}
            """;

    @Test
    void readsMultiDocumentFilesWithAnchorsAndComments() throws IOException {
        DesiredState state = load("app/all.yml", """
                # a namespace and a config map whose labels come from an anchor
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web-config
                  namespace: shop
                  labels: &common {team: web}
                  annotations: *common
                data:
                  index.html: hello
                """);
        assertEquals(List.of(new ResourceKey("ConfigMap", "shop", "web-config"), new ResourceKey("Namespace", "", "shop")),
                state.manifests().stream().map(Manifest::key).toList());
        Manifest cm = state.get(new ResourceKey("ConfigMap", "shop", "web-config")).orElseThrow();
        assertEquals(Map.of("team", "web"), cm.labels());
        assertEquals(Map.of("team", "web"), cm.annotations());
        assertEquals("app/all.yml:7:1", cm.location().toString());
    }

    @Test
    void defaultsMakeSpelledOutAndOmittedDefaultsEqual() throws IOException {
        Manifest omitted = load("a.yaml", POD.formatted("1", "256Mi")).manifests().iterator().next();
        Files.delete(dir.resolve("a.yaml"));
        Manifest spelled = load("a.yaml", (POD.formatted("1000m", "268435456") + """
                  restartPolicy: Always
                  terminationGracePeriodSeconds: 30
                """).replace("image: docker.io/library/busybox:1.35",
                "image: docker.io/library/busybox:1.35\n      imagePullPolicy: IfNotPresent")).manifests().iterator().next();
        assertEquals(omitted.object(), spelled.object());
        assertEquals("default", omitted.key().namespace());
        assertEquals("Always", Trees.at(omitted.object(), "/spec/restartPolicy"));
        assertEquals("256Mi", Trees.at(omitted.object(), "/spec/containers/0/resources/limits/memory"));
    }

    @Test
    void latestTagPullsAlways() throws IOException {
        Manifest pod = load("a.yaml", POD.formatted("1", "1Gi").replace("busybox:1.35", "busybox")).manifests().iterator().next();
        assertEquals("Always", Trees.at(pod.object(), "/spec/containers/0/imagePullPolicy"));
    }

    @Test
    void secretStringDataIsMergedIntoData() throws IOException {
        Manifest secret = load("s.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {password: hunter2}
                """).manifests().iterator().next();
        assertEquals(Map.of("password", "aHVudGVyMg=="), Trees.at(secret.object(), "/data"));
        assertEquals("Opaque", Trees.at(secret.object(), "/type"));
    }

    @Test
    void wrongTypeNamesFileLineAndField() {
        assertEquals("bad.yaml:5:3: field \"spec.replicas\": expected integer, got string \"two\"", error("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: "two"
                """));
    }

    @Test
    void unknownKindAndApiVersion() {
        assertEquals("bad.yaml:2:1: unknown kind \"Gadget\" (berth supports Namespace, PriorityClass, ConfigMap, Secret, "
                + "PersistentVolumeClaim, Service, Pod, Deployment, Job, CronJob)", error("""
                apiVersion: v1
                kind: Gadget
                metadata: {name: x}
                """));
        assertEquals("bad.yaml:1:1: unknown apiVersion \"extensions/v1beta1\" for Deployment (expected apps/v1)", error("""
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata: {name: x}
                """));
    }

    @Test
    void missingNameAndUnknownField() {
        assertEquals("bad.yaml:3:1: field \"metadata.name\" is required", error("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {namespace: x}
                """));
        assertEquals("bad.yaml:8:7: unknown field \"spec.containers.0.imagee\"", error(POD.formatted("1", "1Gi")
                .replace("image: docker", "imagee: docker")).lines().filter(l -> l.contains("imagee")).findFirst().orElseThrow());
    }

    @Test
    void duplicateKeysAndMalformedYaml() {
        assertEquals("bad.yaml:4:1: duplicate key \"kind\" (first at line 2)", error("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                kind: Secret
                """));
        assertEquals("bad.yaml:3:15: invalid YAML: mapping values are not allowed here", error("""
                apiVersion: v1
                kind: ConfigMap
                metadata: name: x
                """));
    }

    @Test
    void duplicateObjectsNameBothPlaces() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
        assertEquals("bad.yaml:5:1: duplicate ConfigMap default/x, first defined at bad.yaml:1:1",
                error(cm + "---\n" + cm));
    }

    @Test
    void reportsAnInvalidQuantity() {
        assertEquals("bad.yaml:10:26: field \"spec.containers.0.resources.limits.memory\": not a quantity: "
                + "\"lots\" (expected e.g. 500m, 2, 128Mi, 1G)", error(POD.formatted("1", "lots")));
    }

    @Test
    void jobPodsMustNotRestartAlways() {
        assertEquals("bad.yaml:6:5: a Job's pods need restartPolicy OnFailure or Never, got none", error("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once}
                spec:
                  template:
                    spec:
                      containers: [{name: main, image: "busybox:1.35"}]
                """));
    }

    /** Names and paths that become host paths are checked before anything is made of them. */
    @Test
    void namesAndPathsThatWouldLeadOutOfAVolumeAreRefusedWithTheirPlace() {
        String errors = error("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: main
                      image: "busybox:1.35"
                      volumeMounts:
                        - {name: data, mountPath: /data, subPath: ../../etc}
                        - {name: conf, mountPath: /conf, subPath: /abs}
                        - {name: nowhere, mountPath: relative}
                  volumes:
                    - name: data
                      persistentVolumeClaim: {claimName: ../../../../etc}
                    - name: conf
                      configMap:
                        name: c
                        items: [{key: a, path: ../../a}, {key: b, path: /b}]
                    - name: Bad_Name
                      emptyDir: {}
                """);
        List<String> lines = errors.lines().toList();
        assertTrue(lines.contains("bad.yaml:9:42: field \"spec.containers.0.volumeMounts.0.subPath\": must not contain '..',"
                + " got \"../../etc\""), errors);
        assertTrue(lines.contains("bad.yaml:10:42: field \"spec.containers.0.volumeMounts.1.subPath\": must be a relative"
                + " path, got \"/abs\""), errors);
        assertTrue(lines.contains("bad.yaml:11:12: no volume named \"nowhere\" in the pod"), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:11:") && l.contains("mountPath must be an absolute path")),
                errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:14:") && l.contains("invalid name \"../../../../etc\"")),
                errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:18:") && l.contains("must not contain '..'")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:18:") && l.contains("must be a relative path")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:19:") && l.contains("invalid name \"Bad_Name\"")),
                errors);
    }

    @Test
    void fieldsBerthCannotHonourAreErrorsAtTheirPlaceAndMootOnesWarnings() throws IOException {
        String errors = error("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  shareProcessNamespace: true
                  securityContext:
                    runAsUser: -1
                    sysctls: [{name: kernel.panic, value: "1"}, {name: net.ipv4.tcp_syncookies, value: "1"}]
                    seccompProfile: {type: Localhost, localhostProfile: ../../etc/profile.json}
                  hostNetwork: true
                  containers:
                    - name: main
                      image: "busybox:1.35"
                      lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
                      securityContext: {seccompProfile: {type: Strict}}
                  volumes:
                    - {name: api, nfs: {server: files.example, path: /export}}
                """);
        List<String> lines = errors.lines().toList();
        assertTrue(lines.contains("bad.yaml:5:3: field \"spec.shareProcessNamespace\" is not supported: each container"
                + " of a berth pod has its own PID namespace"), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:7:5: must be between 0 and")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:8:16: sysctl \"kernel.panic\" is not one of")),
                errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:8:") && l.contains("\"net.ipv4.tcp_syncookies\""
                + " would change the host's own namespace")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:9:") && l.contains("without '..'")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:14:") && l.contains("lifecycle\" is not supported")),
                errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:15:") && l.contains("got \"Strict\"")), errors);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:17:") && l.contains("volume \"api\": berth supports")),
                errors);

        Files.delete(dir.resolve("bad.yaml"));
        DesiredState ok = load("ok.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  serviceAccountName: app
                  dnsPolicy: ClusterFirst
                  securityContext:
                    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "80"}]
                  containers:
                    - {name: main, image: "busybox:1.35", terminationMessagePath: /dev/termination-log}
                """);
        assertEquals(List.of("ok.yaml:5:3: field \"spec.serviceAccountName\" is ignored: one node, nothing to do"),
                ok.warnings().stream().map(Object::toString).toList(), "a termination message is kept, no warning");
    }

    @Test
    void aTerminationMessagePolicyIsFileOrFallbackToLogsOnErrorAndItsPathAbsolute() throws IOException {
        String errors = error("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: main
                      image: "busybox:1.35"
                      terminationMessagePolicy: FallbackToLogs
                      terminationMessagePath: termination-log
                """);
        List<String> lines = errors.lines().toList();
        assertTrue(lines.contains("bad.yaml:8:7: terminationMessagePolicy must be File or FallbackToLogsOnError, got"
                + " \"FallbackToLogs\""), errors);
        assertTrue(lines.contains("bad.yaml:9:7: terminationMessagePath must be an absolute path, got"
                + " \"termination-log\""), errors);
    }
}
