package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.runtime.Mounter;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** downwardAPI and projected volumes: their files, modes, and the labels and annotations files that follow updates. */
class DownwardVolumeTest {

    @TempDir
    Path tmp;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: shop
              labels: {app: web}
              annotations: {build: "1"}
            spec:
              containers:
              - name: app
                image: busybox
                resources: {limits: {cpu: 250m, memory: 64Mi}}
              volumes:
              - name: info
                downwardAPI:
                  defaultMode: 288 # 0440, in decimal as JSON writes it
                  items:
                  - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - {path: name, fieldRef: {fieldPath: metadata.name}, mode: 384}
                  - {path: limits/cpu, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}
              - name: all
                projected:
                  defaultMode: 256
                  sources:
                  - configMap: {name: settings, items: [{key: mode, path: mode}]}
                  - downwardAPI:
                      items:
                      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
                      - {path: memory, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop}
            data: {mode: fast}
            """;

    private record Loaded(Pod pod, ConfigSource config) {}

    private Loaded load() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("pod.yaml"), POD);
        DesiredState desired = new ManifestLoader().load(new DirectoryTreeReader(repo), "", null);
        Pod pod = (Pod) desired.manifests().stream().filter(m -> m.key().kind().equals("Pod")).findFirst().orElseThrow()
                .typed();
        return new Loaded(pod, new ConfigSource(desired));
    }

    private PodVolumes volumes(ConfigSource config) {
        return new PodVolumes(new StateLayout(tmp.resolve("root")), new Mounter(), config, DownwardApiTest.NODE);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void downwardApiAndProjectedVolumesHoldTheirItemsWithTheirModes() throws IOException {
        Loaded loaded = load();
        Path podDir = tmp.resolve("pod");
        Map<String, Path> paths = volumes(loaded.config()).prepare(loaded.pod(), podDir, true);
        Path info = paths.get("info");
        assertEquals("app=\"web\"", Files.readString(info.resolve("labels")));
        assertEquals("r--r-----", mode(info.resolve("labels")), "defaultMode 0440");
        assertEquals("web", Files.readString(info.resolve("name")));
        assertEquals("rw-------", mode(info.resolve("name")), "the item's own mode");
        assertEquals("250", Files.readString(info.resolve("limits/cpu")));
        assertEquals(info.resolve(ProjectedFiles.DATA).resolve("labels").toRealPath(), info.resolve("labels").toRealPath(),
                "laid out as the atomic writer lays out configMap volumes");
        Path all = paths.get("all");
        assertEquals("fast", Files.readString(all.resolve("mode")));
        assertEquals("build=\"1\"", Files.readString(all.resolve("annotations")));
        assertEquals("64", Files.readString(all.resolve("memory")));
        assertEquals("r--------", mode(all.resolve("memory")), "the projected volume's defaultMode");
    }

    @Test
    void newLabelsAndAnnotationsAreWrittenOverTheOldAtOnce() throws IOException {
        Loaded loaded = load();
        Path podDir = tmp.resolve("pod");
        Map<String, Path> paths = volumes(loaded.config()).prepare(loaded.pod(), podDir, true);
        Path before = Files.readSymbolicLink(paths.get("info").resolve(ProjectedFiles.DATA));
        loaded.pod().getMetadata().setLabels(Map.of("app", "web", "track", "canary"));
        loaded.pod().getMetadata().setAnnotations(Map.of("build", "2"));
        volumes(loaded.config()).refreshMetadata(loaded.pod(), podDir);
        assertEquals("app=\"web\"\ntrack=\"canary\"", Files.readString(paths.get("info").resolve("labels")));
        assertEquals("build=\"2\"", Files.readString(paths.get("all").resolve("annotations")));
        assertEquals("fast", Files.readString(paths.get("all").resolve("mode")), "the other sources stay");
        assertNotEquals(before, Files.readSymbolicLink(paths.get("info").resolve(ProjectedFiles.DATA)),
                "a new version swapped in");
    }
}
