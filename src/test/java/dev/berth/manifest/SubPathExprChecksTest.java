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

/** validate checks subPathExpr as the API server does: as written, relative, and never with subPath. */
class SubPathExprChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String mounts) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  volumes: [{name: w, emptyDir: {}}]
                  containers:
                    - name: main
                      image: "busybox:1.35"
                      env: [{name: POD_NAME, value: p}]
                      volumeMounts:
                %s""".formatted(mounts.indent(8)));
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    @Test
    void anExpressionIsAccepted() throws IOException {
        assertEquals(List.of(), load("- {name: w, mountPath: /logs, subPathExpr: $(POD_NAME)/logs}").warnings());
    }

    @Test
    void bothFieldsOrAnEscapingExpressionAreRefusedAtTheirPlace() {
        String errors = assertThrows(InvalidInputException.class, () -> load("""
                - {name: w, mountPath: /a, subPath: a, subPathExpr: $(POD_NAME)}
                - {name: w, mountPath: /b, subPathExpr: ../$(POD_NAME)}
                - {name: w, mountPath: /c, subPathExpr: /$(POD_NAME)}""")).getMessage();
        assertEquals(List.of(
                "pod.yaml:11:48: subPathExpr and subPath are mutually exclusive",
                "pod.yaml:12:36: field \"spec.containers.0.volumeMounts.1.subPathExpr\": must not contain '..', got"
                        + " \"../$(POD_NAME)\"",
                "pod.yaml:13:36: field \"spec.containers.0.volumeMounts.2.subPathExpr\": must be a relative path, got"
                        + " \"/$(POD_NAME)\""), errors.lines().toList());
    }
}
