package dev.berth.image;

import static dev.berth.image.TestLayers.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.core.Digest;
import dev.berth.core.Mount;
import dev.berth.store.StateLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mounts what {@link Snapshotter#prepare} describes, as the runtime will, and looks at the merged view. */
class SnapshotterIT {

    @TempDir
    Path temp;

    private final Map<Digest, Path> blobs = new HashMap<>();

    private Layer blob(TestLayers.Builder builder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Layer layer = builder.build(TestLayers.ZSTD, bytes);
        blobs.put(layer.digest(), Files.write(temp.resolve(layer.digest().hex()), bytes.toByteArray()));
        return layer;
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideLowerContentAndWritesLandInUpper() throws Exception {
        TestLayers.requireRoot();
        Layer bottom = blob(layer()
                .file("etc/removed", "gone", 0644)
                .file("etc/kept", "kept", 0644)
                .file("cache/old", "stale", 0644));
        Layer top = blob(layer()
                .file("etc/.wh.removed", "", 0644)
                .file("cache/.wh..wh..opq", "", 0644)
                .file("cache/new", "fresh", 0644));
        Image image = new Image(ImageReference.parse("test/overlay:1"), TestLayers.sha256(new byte[] {1}),
                TestLayers.sha256(new byte[] {2}), List.of(bottom, top), null);
        Snapshotter snapshotter = Snapshotter.open(new StateLayout(temp.resolve("state")), new LayerUnpacker());
        snapshotter.unpack(image, blobs::get);
        Mount mount = snapshotter.prepare("it-1", image).get(0);
        Path merged = Files.createDirectory(temp.resolve("merged"));

        run("mount", "-t", mount.type(), mount.source(), merged.toString(), "-o", String.join(",", mount.options()));
        try {
            assertFalse(Files.exists(merged.resolve("etc/removed")), "whited out");
            assertEquals("kept", Files.readString(merged.resolve("etc/kept")));
            assertFalse(Files.exists(merged.resolve("cache/old")), "hidden by the opaque directory");
            assertEquals("fresh", Files.readString(merged.resolve("cache/new")));

            Files.writeString(merged.resolve("etc/written"), "by the container");
            Path upper = Path.of(mount.options().stream().filter(o -> o.startsWith("upperdir="))
                    .findFirst().orElseThrow().substring("upperdir=".length()));
            assertEquals("by the container", Files.readString(upper.resolve("etc/written")));
        } finally {
            run("umount", merged.toString());
        }
        snapshotter.remove("it-1");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> String.join(" ", command) + " failed: " + output);
    }
}
