package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.testing.Processes;
import dev.berth.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports archives made by the field's tools (umoci + tar) and a docker save tarball built as docker writes it. */
class ImageImportIT {

    @TempDir
    Path root;

    private ContentStore content() {
        return new ContentStore(root.resolve("content"));
    }

    private ImageImporter importer() {
        return new ImageImporter(content(), new ImageStore(root.resolve("images"), content()), Platform.current());
    }

    @Test
    void ociLayoutArchiveIsNamedByItsRefAnnotationOrByTheGivenName() {
        Path archive = root.resolve("busybox-oci.tar");
        Processes.run("tar", "-C", TestImages.busybox().toString(), "-cf", archive.toString(), ".");

        List<Image> imported = importer().importArchive(archive, null);
        assertEquals(1, imported.size());
        assertEquals("docker.io/library/busybox:latest", imported.get(0).name().toString());
        assertEquals(List.of("sh"), imported.get(0).runConfig().cmd());

        Image named = importer().importArchive(archive, ImageReference.parse("example.org/tools/busybox:1.35")).get(0);
        assertEquals(imported.get(0).manifest(), named.manifest());
        assertTrue(new ImageStore(root.resolve("images"), content()).get(named.name()).isPresent());
    }

    @Test
    void dockerSaveTarballWithUncompressedLayers() throws IOException {
        Image source = importer().importArchive(ociArchive(), ImageReference.parse("source/busybox:x")).get(0);
        byte[] config = content().read(source.config());
        byte[] layerTar;
        try (InputStream gz = new GzipCompressorInputStream(content().open(source.layers().get(0).digest()))) {
            layerTar = gz.readAllBytes();
        }
        Path archive = root.resolve("saved.tar");
        try (OutputStream file = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, source.config().hex() + ".json", config);
            add(tar, "0123abcd/layer.tar", layerTar);
            add(tar, "manifest.json", ("[{\"Config\":\"" + source.config().hex() + ".json\",\"RepoTags\":[\"example.org/saved:1\"],"
                    + "\"Layers\":[\"0123abcd/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
            add(tar, "repositories", "{}".getBytes(StandardCharsets.UTF_8));
        }

        Image saved = importer().importArchive(archive, null).get(0);
        assertEquals("example.org/saved:1", saved.name().toString());
        Layer layer = saved.layers().get(0);
        assertEquals(layer.diffId(), layer.digest(), "an uncompressed layer's digest is its diff_id");
        assertEquals(source.layers().get(0).diffId(), layer.diffId());
        assertEquals(MediaTypes.OCI_LAYER_TAR, layer.mediaType());
        assertEquals(source.runConfig(), saved.runConfig());
        assertTrue(content().has(saved.manifest()));
    }

    @Test
    void archiveWithoutAnImageIsAnError() throws IOException {
        Path archive = root.resolve("empty.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            add(tar, "hello.txt", "hi".getBytes(StandardCharsets.UTF_8));
        }
        BerthException e = assertThrows(BerthException.class, () -> importer().importArchive(archive, null));
        assertTrue(e.getMessage().contains("holds no image"), e.getMessage());
    }

    private Path ociArchive() {
        Path archive = root.resolve("source.tar");
        Processes.run("tar", "-C", TestImages.busybox().toString(), "-cf", archive.toString(), ".");
        return archive;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

}
