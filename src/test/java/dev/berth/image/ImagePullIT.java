package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.Digest;
import dev.berth.testing.TestImages;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real docker-registry on 127.0.0.1, with images built offline by umoci. */
class ImagePullIT {

    private static TestRegistry registry;

    @TempDir
    Path root;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.start().pushBusybox().push(TestImages.twoLayers(), "library/busybox:two-layers");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private ContentStore content() {
        return new ContentStore(root.resolve("content"));
    }

    private ImagePuller puller(RegistryHosts hosts, DockerAuthFile auth) {
        ContentStore content = content();
        return new ImagePuller(content, new ImageStore(root.resolve("images"), content), new RegistryClient(auth), hosts,
                Platform.current());
    }

    private ImagePuller insecurePuller(TestRegistry r) {
        return puller(new RegistryHosts(Map.of(), Set.of(r.host())), DockerAuthFile.empty());
    }

    private static ImageReference busybox(TestRegistry r) {
        return ImageReference.parse(r.host() + "/" + TestRegistry.BUSYBOX);
    }

    @Test
    void pullsWithoutTokenFromAnInsecureRegistryVerifiesAndRecords() throws IOException {
        Image image = insecurePuller(registry).pull(busybox(registry), PullPolicy.ALWAYS);

        assertEquals(1, image.layers().size());
        assertEquals(List.of("sh"), image.runConfig().cmd());
        assertEquals(List.of("PATH=/bin"), image.runConfig().env());
        ContentStore content = content();
        for (Digest blob : List.of(image.manifest(), image.config(), image.layers().get(0).digest())) {
            assertTrue(content.has(blob), blob + " stored");
            assertEquals(blob, RegistryClient.sha256(Files.readAllBytes(content.path(blob))), "stored bytes match");
        }
        Layer layer = image.layers().get(0);
        try (InputStream gz = new GzipCompressorInputStream(content.open(layer.digest()))) {
            assertEquals(layer.diffId(), RegistryClient.sha256(gz.readAllBytes()), "diff_id is the uncompressed digest");
        }
        assertEquals(image, new ImageStore(root.resolve("images"), content).get(busybox(registry)).orElseThrow());
    }

    @Test
    void pullsWithBasicAuthFromTheAuthFileAndRefusesAWrongPassword() throws IOException {
        try (TestRegistry secured = TestRegistry.startWithBasicAuth("berth", "s3cret").pushBusybox()) {
            RegistryHosts hosts = new RegistryHosts(Map.of(), Set.of(secured.host()));
            Image image = puller(hosts, authFile(secured.host(), "berth:s3cret")).pull(busybox(secured), PullPolicy.ALWAYS);
            assertEquals(1, image.layers().size());

            ImagePullException wrong = assertThrows(ImagePullException.class, () -> puller(hosts,
                    authFile(secured.host(), "berth:wrong")).pull(busybox(secured), PullPolicy.ALWAYS));
            assertTrue(wrong.getMessage().startsWith("ErrImagePull: " + busybox(secured) + ": unauthorized"), wrong.getMessage());
            assertTrue(!wrong.getMessage().contains("wrong") && !wrong.getMessage().contains("s3cret"), wrong.getMessage());

            ImagePullException none = assertThrows(ImagePullException.class,
                    () -> puller(hosts, DockerAuthFile.empty()).pull(busybox(secured), PullPolicy.ALWAYS));
            assertTrue(none.getMessage().contains("unauthorized"), none.getMessage());
        }
    }

    private DockerAuthFile authFile(String host, String userColonPassword) throws IOException {
        Path file = root.resolve("auth-" + userColonPassword.hashCode() + ".json");
        String auth = Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "{\"auths\": {\"" + host + "\": {\"auth\": \"" + auth + "\"}}}");
        return DockerAuthFile.load(file);
    }

    @Test
    void dockerHubNamesArePulledFromTheMirrorAlone() {
        RegistryHosts hosts = new RegistryHosts(Map.of("docker.io", List.of(registry.url().toString())), Set.of());
        Image image = puller(hosts, DockerAuthFile.empty()).pull(ImageReference.parse("busybox:1.35"), PullPolicy.ALWAYS);
        assertEquals("docker.io/library/busybox:1.35", image.name().toString());
        assertEquals(List.of("sh"), image.runConfig().cmd());
    }

    @Test
    void twoLayerImageKeepsItsWhiteout() throws IOException {
        Image image = insecurePuller(registry).pull(
                ImageReference.parse(registry.host() + "/library/busybox:two-layers"), PullPolicy.ALWAYS);
        assertEquals(2, image.layers().size());
        assertTrue(entries(image.layers().get(1)).contains("bin/.wh.hostname"), "whiteout for the deleted file");
        assertTrue(entries(image.layers().get(0)).contains("bin/hostname"));
    }

    private List<String> entries(Layer layer) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(content().open(layer.digest())))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""));
            }
        }
        return names;
    }

    @Test
    void ifNotPresentUsesTheLocalRecordWithoutNetworkWhileAlwaysReportsTheRegistryDown() {
        ImageReference ref;
        ImagePuller puller;
        try (TestRegistry shortLived = TestRegistry.start().pushBusybox()) {
            puller = insecurePuller(shortLived);
            ref = busybox(shortLived);
            puller.pull(ref, PullPolicy.ALWAYS);
        }
        Image again = puller.pull(ref, PullPolicy.IF_NOT_PRESENT);
        assertEquals(ref, again.name());
        assertEquals(again, puller.pull(ref, PullPolicy.NEVER));

        ImagePullException down = assertThrows(ImagePullException.class, () -> puller.pull(ref, PullPolicy.ALWAYS));
        assertTrue(down.getMessage().contains("registry unreachable: connection refused by http://" + ref.registry()),
                down.getMessage());
    }

    @Test
    void neverWithoutTheImageIsAClearError() {
        ImagePullException e = assertThrows(ImagePullException.class,
                () -> insecurePuller(registry).pull(busybox(registry), PullPolicy.NEVER));
        assertEquals("ErrImageNeverPull", e.reason());
        assertTrue(e.getMessage().contains(busybox(registry) + ": not present"), e.getMessage());
    }

    @Test
    void unknownTagNamesTheReference() {
        ImageReference missing = ImageReference.parse(registry.host() + "/library/busybox:9.99");
        ImagePullException e = assertThrows(ImagePullException.class,
                () -> insecurePuller(registry).pull(missing, PullPolicy.IF_NOT_PRESENT));
        assertTrue(e.getMessage().startsWith("ErrImagePull: " + missing + ": not found"), e.getMessage());
        assertTrue(e.getMessage().contains("manifest unknown"), e.getMessage());
    }
}
