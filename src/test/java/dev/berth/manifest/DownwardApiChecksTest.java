package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate refuses the downward API references an API server refuses, each at its file:line:column. */
class DownwardApiChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String yaml) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    @Test
    void everySupportedReferenceIsValid() throws IOException {
        load("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    env:
                    - {name: A, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
                    - {name: B, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app.kubernetes.io/name']"}}}
                    - {name: C, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}
                    - {name: D, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}}
                    volumeMounts: [{name: info, mountPath: /info}, {name: all, mountPath: /all}]
                  volumes:
                  - name: info
                    downwardAPI:
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}
                  - name: all
                    projected:
                      sources:
                      - downwardAPI: {items: [{path: annotations, fieldRef: {fieldPath: metadata.annotations}}]}
                """);
    }

    @Test
    void badFieldPathsResourcesAndDivisorsAreErrorsAtTheirPlace() {
        String message = assertThrows(InvalidInputException.class, () -> load("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    env:
                    - {name: A, valueFrom: {fieldRef: {fieldPath: status.phase}}}
                    - {name: B, valueFrom: {fieldRef: {fieldPath: metadata.labels}}}
                    - {name: C, valueFrom: {fieldRef: {fieldPath: "metadata.name['x']"}}}
                    - {name: D, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 2m}}}
                    - {name: E, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}
                  volumes:
                  - name: info
                    downwardAPI:
                      items:
                      - {path: node, fieldRef: {fieldPath: spec.nodeName}}
                      - {path: cpu, resourceFieldRef: {resource: limits.cpu}}
                  - name: all
                    projected:
                      sources:
                      - serviceAccountToken: {path: token}
                """)).getMessage();
        List<String> lines = message.lines().filter(l -> l.startsWith("pod.yaml:")).toList();
        assertEquals(List.of(
                "pod.yaml:9:40: fieldPath \"status.phase\"",
                "pod.yaml:10:40: fieldPath \"metadata.labels\"",
                "pod.yaml:11:40: fieldPath \"metadata.name\" does not take a subscript",
                "pod.yaml:12:70: divisor 2m is not one for limits.cpu (1m or 1)",
                "pod.yaml:13:48: resource \"limits.gpu\" is not supported",
                "pod.yaml:18:33: fieldPath \"spec.nodeName\"",
                "pod.yaml:19:21: a downwardAPI volume's resourceFieldRef needs containerName",
                "pod.yaml:23:9: volume \"all\": berth projects configMap, secret and downwardAPI sources"),
                lines.stream().map(l -> prefixOf(l)).toList(), message);
    }

    /** The location and the start of the message, which goes on to list what is supported. */
    private static String prefixOf(String line) {
        for (String stop : List.of(" is not supported here", "; supported", " (it has")) {
            int at = line.indexOf(stop);
            if (at > 0) {
                return line.substring(0, at);
            }
        }
        return line;
    }
}
