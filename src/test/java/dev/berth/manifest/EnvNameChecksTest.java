package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment variable names as the API server checks them since Kubernetes 1.32: printable ASCII but '='. */
class EnvNameChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String containerFields) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: main
                      image: "busybox:1.35"
                %s""".formatted(containerFields.indent(6)));
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    @Test
    void namesThatAreNoCIdentifiersAreAccepted() throws IOException {
        DesiredState state = load("""
                env: [{name: data-1, value: a}, {name: app.config, value: b}, {name: 1st, value: c}]
                envFrom: [{prefix: p-, configMapRef: {name: c, optional: true}}]""");
        assertEquals(List.of(), state.warnings());
        assertTrue(EnvNameChecks.valid("with space ~!"));
    }

    @Test
    void anEqualsSignAControlCharacterOrNoNameIsRefusedAtItsPlace() {
        String errors = assertThrows(InvalidInputException.class, () -> load("""
                env: [{name: "A=B", value: a}, {name: "tab\\there"}, {value: c}]
                envFrom: [{prefix: "p=", configMapRef: {name: c}}]""")).getMessage();
        assertEquals(List.of(
                "pod.yaml:8:14: invalid environment variable name \"A=B\": " + EnvNameChecks.RULE,
                "pod.yaml:8:39: invalid environment variable name \"tab\there\": " + EnvNameChecks.RULE,
                "pod.yaml:8:59: field \"spec.containers.0.env.2.name\" is required",
                "pod.yaml:9:18: invalid envFrom prefix \"p=\": " + EnvNameChecks.RULE), errors.lines().toList());
        assertFalse(EnvNameChecks.valid("é"), "printable, but not ASCII");
    }
}
