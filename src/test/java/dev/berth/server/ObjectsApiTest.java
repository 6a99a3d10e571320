package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.client.ApiClient;
import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.core.SourceUnavailableException;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.RecordedState;
import dev.berth.pipeline.ServerState;
import dev.berth.plan.ActualState;
import dev.berth.plan.Planner;
import dev.berth.store.NodeSecretKey;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --against server:URL} reads what a watch server serves: the same plan as against its state root. */
class ObjectsApiTest {

    @TempDir
    Path dir;

    @Test
    void theServersObjectsDiffLikeItsStateRoot() throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/a.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {mode: fast}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                stringData: {value: hunter2}
                """);
        DesiredState desired = new ManifestLoader().load(new DirectoryTreeReader(dir.resolve("repo")), "", null);
        StateLayout layout = new StateLayout(dir.resolve("state"));
        Revision revision = new Revision("4fad7bb87dd5ca584d3f924991b9e70284f67cbf");
        desired.manifests().forEach(m -> new ObjectRecords(layout).write(
                RecordedState.recordOf(m, NodeSecretKey.require(layout), revision, Instant.now())));

        try (ApiServer api = new ApiServer(new ApiServer.Options(new InetSocketAddress("127.0.0.1", 0), Secret.of("t0ken"),
                false, () -> true, null))) {
            new ApiRoutes(layout, null, new WatchStatus(null, layout), null).register(api, null);
            api.start();
            URI url = URI.create("http://127.0.0.1:" + api.address().getPort());
            ActualState live = ServerState.fetch(new ApiClient(url, "t0ken", null));
            assertEquals(0, new Planner().plan(desired, live).actions().size(), "nothing to change");
            assertEquals(2, live.objects().size());
            String served = new ApiClient(url, "t0ken", null).get("/api/v1/objects").toString();
            assertTrue(!served.contains("hunter2") && served.contains("hmac-sha256:"), served);
            String secret = live.get(new ResourceKey("Secret", "default", "token")).orElseThrow().object().toString();
            assertTrue(secret.contains("not compared"), "CI has not the node's key: " + secret);
            SourceUnavailableException refused = assertThrows(SourceUnavailableException.class,
                    () -> ServerState.fetch(new ApiClient(url, null, null)));
            assertTrue(refused.getMessage().contains("401") && refused.getMessage().contains("BERTH_TOKEN"),
                    refused.getMessage());
        }
    }
}
