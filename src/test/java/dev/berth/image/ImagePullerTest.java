package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
        return pull(registry, RegistryHosts.DEFAULT_TIMEOUT);
    }

    private Image pull(FakeRegistry registry, Duration timeout) {
        return new ImagePuller(content(), images(), new RegistryClient(DockerAuthFile.empty()),
                new RegistryHosts(Map.of(), Set.of(registry.host()), Map.of(registry.host(), timeout)),
                new Platform("linux", "amd64"))
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

    /** Headers, a third of the layer, then silence: the pull fails once the registry's timeout passes without a byte. */
    @Test
    @Timeout(60) // the bug this guards against is a read that waits forever
    void aBodyThatStallsFailsThePullAfterTheRegistrysTimeout() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(FakeRegistry.Fault.STALL_LAYER_BODY)) {
            ImagePullException e = assertThrows(ImagePullException.class, () -> pull(registry, Duration.ofMillis(300)));
            assertEquals("ErrImagePull", e.reason());
            assertTrue(e.getMessage().contains("blob " + registry.layerDigest) && e.getMessage().contains("no data for 0.3 s"),
                    e.getMessage());
            assertFalse(content().has(registry.layerDigest));
            assertTrue(registry.rangesAsked.isEmpty(), "a stall is not asked again within the pull");
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
