package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.BerthException;
import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentResolverTest {

    @TempDir
    Path tmp;

    private EnvironmentResolver resolver() throws IOException {
        Files.writeString(tmp.resolve("config.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: shop}
                data: {MODE: fast, PORT: "8080"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: shop}
                stringData: {password: hunter2}
                """);
        DesiredState desired = new ManifestLoader().load(new DirectoryTreeReader(tmp), "", null);
        return new EnvironmentResolver(new ConfigSource(desired), DownwardApiTest.NODE);
    }

    @Test
    void buildsTheEnvironmentInKubeletOrderExpandingOnlyTheContainersOwnVariables() throws IOException {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("PATH").withValue("/app/bin:$(PATH)").endEnv()
                .addNewEnv().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "db", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("URL").withValue("http://$(POD):$(CFG_PORT)/$(NOPE)").endEnv()
                .build();
        assertEquals(List.of("PATH=/app/bin:$(PATH)", "HOME=/root", "CFG_MODE=fast", "CFG_PORT=8080",
                        "DB_PASSWORD=hunter2", "POD=web-1", "URL=http://web-1:8080/$(NOPE)"),
                resolver().resolve(DownwardApiTest.pod("shop", "web-1"), List.of("PATH=/bin", "HOME=/root"), c).lines());
    }

    @Test
    void missingReferencesFailUnlessOptional() throws IOException {
        EnvironmentResolver r = resolver();
        Container missing = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv().build();
        assertEquals("ConfigMap \"absent\" not found",
                assertThrows(BerthException.class, () -> r.resolve(DownwardApiTest.pod("shop", "p"), List.of(), missing)).getMessage());
        Container optional = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef("k", "absent", true).endValueFrom().endEnv().build();
        assertEquals(List.of(), r.resolve(DownwardApiTest.pod("shop", "p"), List.of(), optional).lines());
    }
}
