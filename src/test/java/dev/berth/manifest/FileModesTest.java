package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {

    @TempDir
    Path dir;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: worker
            spec:
              containers:
                - name: main
                  image: docker.io/library/busybox:1.35
              volumes:
            """;

    private DesiredState load(String volumes) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), POD + volumes);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private String refusal(String volumes) {
        return assertThrows(InvalidInputException.class, () -> load(volumes)).getMessage();
    }

    @Test
    void octalModesAreReadAsKubernetesReadsThem() throws IOException {
        DesiredState state = load("""
                    - name: s
                      secret: {secretName: s, defaultMode: 0400, items: [{key: k, path: k, mode: 0600}]}
                    - name: c
                      configMap: {name: c, defaultMode: 0x1ff}
                """);
        Pod pod = (Pod) state.manifests().iterator().next().typed();
        assertEquals(0400, pod.getSpec().getVolumes().get(0).getSecret().getDefaultMode());
        assertEquals(0600, pod.getSpec().getVolumes().get(0).getSecret().getItems().get(0).getMode());
        assertEquals(0777, pod.getSpec().getVolumes().get(1).getConfigMap().getDefaultMode());
    }

    @Test
    void aModeOver0777IsRefusedAtItsPlace() {
        assertEquals("pod.yaml:11:31: field \"spec.volumes.0.secret.defaultMode\": file mode 644 is 01204 in octal,"
                + " over 0777: write modes in octal with a leading 0, such as 0644", refusal("""
                    - name: s
                      secret: {secretName: s, defaultMode: 644}
                """));
    }

    @Test
    void everyModeFieldOfEveryFileVolumeIsChecked() {
        String errors = refusal("""
                    - name: c
                      configMap: {name: c, items: [{key: k, path: k, mode: 01000}]}
                    - name: d
                      downwardAPI:
                        defaultMode: -1
                        items: [{path: n, fieldRef: {fieldPath: metadata.name}, mode: 4096}]
                    - name: p
                      projected:
                        defaultMode: 0777
                        sources:
                          - secret: {name: s, items: [{key: k, path: k, mode: 777}]}
                """);
        String over = " over 0777: write modes in octal with a leading 0, such as 0644";
        assertEquals(String.join("\n",
                "pod.yaml:11:54: field \"spec.volumes.0.configMap.items.0.mode\": file mode 512 is 01000 in octal," + over,
                "pod.yaml:14:9: field \"spec.volumes.1.downwardAPI.defaultMode\": file mode -1 is negative:"
                        + " it must be from 0 to 0777",
                "pod.yaml:15:65: field \"spec.volumes.1.downwardAPI.items.0.mode\": file mode 4096 is 010000 in octal,"
                        + over,
                "pod.yaml:20:57: field \"spec.volumes.2.projected.sources.0.secret.items.0.mode\": file mode 777 is"
                        + " 01411 in octal," + over),
                errors);
    }
}
