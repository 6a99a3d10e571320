package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole manifests with YAML 1.1 scalars, bound to the API types as Kubernetes binds them. */
class Yaml11ManifestsTest {

    @TempDir
    Path dir;

    private DesiredState load(String yaml) throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    @Test
    void keysLikeOnAndYInDataMapsBecomeTheStringsKubernetesMakesOfThem() throws IOException {
        ConfigMap cm = (ConfigMap) load("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: flags}
                data:
                  on: "1"
                  n: "2"
                  0x10: "3"
                  "yes": "4"
                """).manifests().iterator().next().typed();
        assertEquals(Map.of("true", "1", "false", "2", "16", "3", "yes", "4"), cm.getData());
    }

    @Test
    void stringFieldsTakeUnquotedBooleansAndNumbersAsTheirJsonText() throws IOException {
        Pod pod = (Pod) load("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, annotations: {berth.dev/prune: false}}
                spec:
                  containers:
                    - name: main
                      image: busybox:1.35
                      args: [yes, 0400, 1.5]
                      env: [{name: DEBUG, value: on}]
                """).manifests().iterator().next().typed();
        assertEquals(List.of("true", "256", "1.5"), pod.getSpec().getContainers().get(0).getArgs());
        assertEquals("true", pod.getSpec().getContainers().get(0).getEnv().get(0).getValue());
        assertEquals("false", pod.getMetadata().getAnnotations().get("berth.dev/prune"));
    }
}
