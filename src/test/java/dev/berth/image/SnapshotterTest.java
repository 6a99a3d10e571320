package dev.berth.image;

import static dev.berth.image.TestLayers.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.core.Mount;
import dev.berth.store.StateLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {

    @TempDir
    Path temp;

    private final Map<Digest, Path> blobs = new HashMap<>();
    private StateLayout layout;
    private Snapshotter snapshotter;
    private Layer base;
    private Layer app;
    private Layer other;

    @BeforeEach
    void layers() throws IOException {
        layout = new StateLayout(temp.resolve("state"));
        snapshotter = Snapshotter.open(layout, new LayerUnpacker());
        base = blob(layer().dir("etc", 0755).file("etc/os-release", "base", 0644));
        app = blob(layer().file("app/run", "app", 0755));
        other = blob(layer().file("other/run", "other", 0755));
    }

    private Layer blob(TestLayers.Builder builder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Layer layer = builder.build(TestLayers.GZIP, bytes);
        Path path = Files.write(temp.resolve(layer.digest().hex()), bytes.toByteArray());
        blobs.put(layer.digest(), path);
        return layer;
    }

    private static Image image(String name, Layer... layers) {
        return new Image(ImageReference.parse(name), TestLayers.sha256(name.getBytes(StandardCharsets.UTF_8)),
                TestLayers.sha256(new byte[] {1}), List.of(layers), null);
    }

    private int snapshotDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(layout.snapshots())) {
            return (int) dirs.filter(dir -> dir.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

    @Test
    void chainIdsFollowTheOciDefinition() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        String second = "sha256:" + java.util.HexFormat.of().formatHex(sha256.digest(
                (base.diffId() + " " + app.diffId()).getBytes(StandardCharsets.UTF_8)));

        assertEquals(List.of(base.diffId().toString(), second),
                new ArrayList<>(snapshotter.chainIds(image("app:1", base, app))));
    }

    @Test
    void imagesSharingABottomLayerShareItsSnapshot() throws IOException {
        List<Path> appLowers = snapshotter.unpack(image("app:1", base, app), blobs::get);
        List<Path> otherLowers = snapshotter.unpack(image("other:1", base, other), blobs::get);

        assertEquals(3, snapshotDirs());
        assertEquals(appLowers.get(0), otherLowers.get(0));
        assertEquals("base", Files.readString(appLowers.get(0).resolve("etc/os-release")));
        assertEquals("app", Files.readString(appLowers.get(1).resolve("app/run")));
        SnapshotInfo top = snapshotter.list().stream()
                .filter(info -> info.diffId().equals(app.diffId())).findFirst().orElseThrow();
        assertEquals(base.diffId(), top.parent());
    }

    @Test
    void prepareReturnsAnOverlayMountWithTheTopLayerFirst() throws IOException {
        Image image = image("app:1", base, app);
        List<Path> lowers = snapshotter.unpack(image, blobs::get);

        List<Mount> mounts = snapshotter.prepare("pod1-web", image);

        Path active = layout.snapshots().toAbsolutePath().resolve("active/pod1-web");
        assertEquals(List.of(new Mount("overlay", "overlay", List.of(
                "lowerdir=" + lowers.get(1) + ":" + lowers.get(0),
                "upperdir=" + active.resolve("upper"), "workdir=" + active.resolve("work")))), mounts);
        assertTrue(Files.isDirectory(active.resolve("upper")));
        assertThrows(BerthException.class, () -> snapshotter.prepare("pod1-web", image));
        assertThrows(BerthException.class, () -> snapshotter.prepare("../escape", image));

        snapshotter.remove("pod1-web");
        assertFalse(Files.exists(active));
        snapshotter.remove("pod1-web");
    }

    @Test
    void prepareNeedsTheLayersUnpacked() {
        BerthException error = assertThrows(BerthException.class,
                () -> snapshotter.prepare("c1", image("app:1", base, app)));
        assertTrue(error.getMessage().contains("is not unpacked"), error.getMessage());
    }

    @Test
    void pruneKeepsWhatIsUsedAndTheParentsOfIt() throws IOException {
        Image appImage = image("app:1", base, app);
        Image otherImage = image("other:1", base, other);
        snapshotter.unpack(appImage, blobs::get);
        snapshotter.unpack(otherImage, blobs::get);
        List<String> otherChain = new ArrayList<>(snapshotter.chainIds(otherImage));

        List<Digest> removed = snapshotter.prune(Set.copyOf(snapshotter.chainIds(appImage)));

        assertEquals(List.of(Digest.parse(otherChain.get(1))), removed);
        assertEquals(2, snapshotDirs());

        snapshotter.prepare("c1", appImage);
        assertEquals(List.of(), snapshotter.prune(Set.of()), "a prepared container keeps its layers");
        snapshotter.remove("c1");
        assertEquals(2, snapshotter.prune(Set.of()).size());
        assertEquals(0, snapshotDirs());
    }

    @Test
    void aFailedUnpackLeavesNothingAndOpenCleansLeftovers() throws IOException {
        Layer lying = new Layer(app.digest(), app.mediaType(), app.size(), TestLayers.sha256(new byte[2]));
        assertThrows(BerthException.class, () -> snapshotter.unpack(image("app:1", base, lying), blobs::get));
        assertEquals(1, snapshotDirs());

        Files.createDirectories(layout.snapshots().resolve(".tmp-crashed/fs/etc"));
        Files.createDirectories(layout.snapshots().resolve("active/.tmp-crashed/upper"));
        Snapshotter.open(layout, new LayerUnpacker());
        assertFalse(Files.exists(layout.snapshots().resolve(".tmp-crashed")));
        assertFalse(Files.exists(layout.snapshots().resolve("active/.tmp-crashed")));
    }
}
