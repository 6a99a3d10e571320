package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The puller against a fake registry that misbehaves in the ways real networks and proxies do. */
class ImagePullerTest {

    @TempDir
    Path root;

    private ContentStore content() {
        return new ContentStore(root.resolve("content"));
    }

    private ImageStore images() {
        return new ImageStore(root.resolve("images"), content());
    }

    private Image pull(FakeRegistry registry) {
        return new ImagePuller(content(), images(), new RegistryClient(DockerAuthFile.empty()),
                new RegistryHosts(Map.of(), Set.of(registry.host())), new Platform("linux", "amd64"))
                .pull(ImageReference.parse(registry.host() + "/app:1"), PullPolicy.ALWAYS);
    }

    @Test
    void aCorruptedBlobIsRefusedAndNeverEntersTheStore() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(FakeRegistry.Fault.CORRUPT_LAYER)) {
            ImagePullException e = assertThrows(ImagePullException.class, () -> pull(registry));
            assertTrue(e.getMessage().contains("digest mismatch: expected " + registry.layerDigest), e.getMessage());
            assertFalse(content().has(registry.layerDigest));
            for (Digest stored : content().list()) {
                assertEquals(stored, RegistryClient.sha256(Files.readAllBytes(content().path(stored))));
            }
            assertTrue(images().list().isEmpty(), "no image recorded");
        }
    }

    @Test
    void aDownloadCutMidwayResumesWithARangeRequest() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(FakeRegistry.Fault.CUT_FIRST_LAYER_DOWNLOAD)) {
            Image image = pull(registry);
            assertEquals(1, registry.rangesAsked.size(), "one resumed request");
            assertTrue(registry.rangesAsked.get(0).matches("bytes=[1-9]\\d*-"), registry.rangesAsked.toString());
            assertEquals(List.of("sh"), image.runConfig().cmd());
            assertTrue(content().has(registry.layerDigest));
        }
    }

    @Test
    void garbageInsteadOfAManifestIsReportedAsSuch() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(FakeRegistry.Fault.GARBAGE_MANIFEST)) {
            ImagePullException e = assertThrows(ImagePullException.class, () -> pull(registry));
            assertTrue(e.getMessage().contains("manifest is not valid JSON"), e.getMessage());
        }
    }
}
