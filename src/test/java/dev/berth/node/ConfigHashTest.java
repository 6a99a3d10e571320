package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.ResourceKey;
import dev.berth.manifest.Annotations;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.SecretDigest;
import dev.berth.manifest.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigHashTest {

    private static final SecretDigest NODE = SecretDigest.keyed(new byte[32]);

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: main
                      image: busybox:1.35
                      env:
                        - name: TOKEN
                          valueFrom: {secretKeyRef: {name: token, key: value}}
                  volumes:
                    - {name: conf, configMap: {name: settings}}
            """;

    private DesiredState load(String... yaml) throws IOException {
        Files.writeString(dir.resolve("all.yaml"), String.join("---\n", yaml));
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private static String configMap(String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: " + value + "}\n";
    }

    private static String secret(String value) {
        return "apiVersion: v1\nkind: Secret\nmetadata: {name: token}\nstringData: {value: " + value + "}\n";
    }

    private String hash(DesiredState desired) {
        var web = desired.get(new ResourceKey("Deployment", "default", "web")).orElseThrow();
        return (String) Trees.at(ConfigHash.annotate(web, desired, NODE).object(),
                "/spec/template/metadata/annotations/" + Annotations.CONFIG_HASH.replace("/", "~1"));
    }

    @Test
    void changesWhenAConfigMapOrSecretItReadsChangesAndOnlyThen() throws IOException {
        String base = hash(load(DEPLOYMENT, configMap("a"), secret("x")));
        assertEquals(16, base.length());
        assertEquals(base, hash(load(DEPLOYMENT, configMap("a"), secret("x"))), "stable");
        assertNotEquals(base, hash(load(DEPLOYMENT, configMap("b"), secret("x"))), "ConfigMap volume");
        assertNotEquals(base, hash(load(DEPLOYMENT, configMap("a"), secret("y"))), "Secret env");
        String unrelated = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {k: v}\n";
        assertEquals(base, hash(load(DEPLOYMENT, configMap("a"), secret("x"), unrelated)), "an unrelated ConfigMap");
        assertNotEquals(base, hash(load(DEPLOYMENT, secret("x"))), "a missing ConfigMap counts too");
    }

    /** The annotation is public (describe, the API): under another node's key a Secret's part of it differs. */
    @Test
    void hashesSecretValuesUnderTheNodesKey() throws IOException {
        DesiredState desired = load(DEPLOYMENT, configMap("a"), secret("x"));
        var web = desired.get(new ResourceKey("Deployment", "default", "web")).orElseThrow();
        String otherNode = (String) Trees.at(ConfigHash.annotate(web, desired, SecretDigest.keyed("another node's key of 32 bytes..".getBytes())).object(),
                "/spec/template/metadata/annotations/" + Annotations.CONFIG_HASH.replace("/", "~1"));
        assertNotEquals(hash(desired), otherNode);
    }

    @Test
    void leavesAWorkloadThatReadsNoConfigAsItIs() throws IOException {
        DesiredState desired = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                + "    - {name: main, image: busybox:1.35}\n");
        var pod = desired.get(new ResourceKey("Pod", "default", "p")).orElseThrow();
        assertSame(pod, ConfigHash.annotate(pod, desired, NODE));
    }
}
