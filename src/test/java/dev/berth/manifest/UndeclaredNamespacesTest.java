package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.DirectoryTreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A namespaced object in a namespace a cluster would not have is a warning at validate, where it is written. */
class UndeclaredNamespacesTest {

    @TempDir
    Path dir;

    private static String configMap(String name, String namespace) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data: {a: b}
                """.formatted(name, namespace);
    }

    @Test
    void onlyNamespacesNoManifestDeclaresAndNoClusterHasAreWarned() throws IOException {
        Files.writeString(dir.resolve("ns.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                """);
        Files.writeString(dir.resolve("objects.yaml"), String.join("---\n", configMap("declared", "shop"),
                configMap("typo", "shopp"), configMap("system", "kube-system"), configMap("public", "kube-public"),
                configMap("lease", "kube-node-lease"), configMap("plain", "default"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: implicit}
                """, """
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata: {name: high}
                value: 10
                """));
        DesiredState state = new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
        assertEquals(List.of("objects.yaml:12:3: ConfigMap shopp/typo: namespace \"shopp\" is not declared by any "
                + "manifest: a cluster refuses this object (namespaces \"shopp\" not found); add a Namespace manifest"),
                state.warnings().stream().map(Object::toString).toList());
    }
}
