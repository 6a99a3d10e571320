package dev.berth.image;

import static dev.berth.image.TestLayers.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerUnpackerTest {

    private static final FileTime MTIME = FileTime.from(Instant.parse("2024-05-06T07:08:09Z"));
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path temp;

    private final LayerUnpacker unpacker = new LayerUnpacker();

    private Path unpack(TestLayers.Builder builder, String mediaType) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        Layer layer = builder.build(mediaType, blob);
        Path target = temp.resolve("fs");
        unpacker.unpack(layer, new ByteArrayInputStream(blob.toByteArray()), target);
        return target;
    }

    private BerthException unpackFails(TestLayers.Builder builder) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        Layer layer = builder.build(TestLayers.GZIP, blob);
        Path target = temp.resolve("fs");
        BerthException error = assertThrows(BerthException.class,
                () -> unpacker.unpack(layer, new ByteArrayInputStream(blob.toByteArray()), target));
        assertFalse(Files.exists(target, NOFOLLOW), "partial layer left behind");
        return error;
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestLayers.TAR, TestLayers.GZIP, TestLayers.ZSTD, "application/octet-stream"})
    void keepsFilesDirectoriesModesLinksAndTimes(String mediaType) throws IOException {
        String longName = "deep/" + "n".repeat(120) + "/file";
        TestLayers.Builder builder = layer()
                .dir("bin", 0755)
                .file("bin/tool", "#!/bin/sh\n", 04755)
                .dir("tmp", 01777)
                .dir("ro", 0555)
                .file("ro/inside", "data", 0444)
                .symlink("bin/sh", "/bin/busybox")
                .hardlink("bin/tool2", "bin/tool")
                .file(longName, "long", 0600)
                .file("stamped", "t", 0644);
        builder.last().setLastModifiedTime(MTIME);
        Path fs = unpack(builder, mediaType);

        assertEquals("#!/bin/sh\n", Files.readString(fs.resolve("bin/tool")));
        assertEquals(0104755, mode(fs.resolve("bin/tool")));
        assertEquals(041777, mode(fs.resolve("tmp")));
        assertEquals(040555, mode(fs.resolve("ro")));
        assertEquals("data", Files.readString(fs.resolve("ro/inside")));
        assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(fs.resolve("bin/sh")));
        assertEquals(Files.getAttribute(fs.resolve("bin/tool"), "unix:ino"),
                Files.getAttribute(fs.resolve("bin/tool2"), "unix:ino"));
        assertEquals("long", Files.readString(fs.resolve(longName)));
        assertEquals(MTIME, Files.getLastModifiedTime(fs.resolve("stamped")));
    }

    @Test
    void keepsOwnersAndCapabilitiesAsRoot() throws IOException {
        TestLayers.requireRoot();
        // VFS_CAP_REVISION_2 with cap_net_raw permitted and effective, as on Debian's /bin/ping.
        String capability = new String(new char[] {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        TestLayers.Builder builder = layer().file("bin/ping", "elf", 0755);
        builder.last().setIds(1000, 2000);
        builder.last().addPaxHeader("SCHILY.xattr.security.capability", capability);
        builder.symlink("link", "bin/ping");
        builder.last().setIds(3000, 4000);
        Path fs = unpack(builder, TestLayers.GZIP);

        assertEquals(1000, Files.getAttribute(fs.resolve("bin/ping"), "unix:uid", NOFOLLOW));
        assertEquals(2000, Files.getAttribute(fs.resolve("bin/ping"), "unix:gid", NOFOLLOW));
        assertEquals(3000, Files.getAttribute(fs.resolve("link"), "unix:uid", NOFOLLOW));
        assertArrayEquals(capability.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                TestLayers.xattr(fs.resolve("bin/ping"), "security.capability"));
    }

    @Test
    void refusesALayerThatDoesNotMatchItsDiffId() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        Layer built = layer().file("a", "a", 0644).build(TestLayers.GZIP, blob);
        Layer lying = new Layer(built.digest(), built.mediaType(), built.size(), TestLayers.sha256(new byte[1]));
        Path target = temp.resolve("fs");

        BerthException error = assertThrows(BerthException.class,
                () -> unpacker.unpack(lying, new ByteArrayInputStream(blob.toByteArray()), target));

        assertTrue(error.getMessage().contains("does not match its diffId"), error.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void refusesDotDotComponents() throws IOException {
        assertTrue(unpackFails(layer().file("../escape", "x", 0644)).getMessage().contains("'..'"));
        assertFalse(Files.exists(temp.resolve("escape")));
        unpackFails(layer().file("a/../../x", "x", 0644));
        assertFalse(Files.exists(temp.resolve("x")));
    }

    @Test
    void containsAbsoluteNames() throws IOException {
        Path fs = unpack(layer().file("/abs/path", "inside", 0644), TestLayers.GZIP);
        assertEquals("inside", Files.readString(fs.resolve("abs/path")));
    }

    @Test
    void neverWritesThroughASymlinkOfTheSameLayer() throws IOException {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        BerthException error = unpackFails(layer()
                .symlink("evil", victim.toString())
                .file("evil/pwned", "owned", 0644));

        assertTrue(error.getMessage().contains("goes through the symlink evil"), error.getMessage());
        assertFalse(Files.exists(victim.resolve("pwned")));
    }

    @Test
    void replacesASymlinkRatherThanWritingToItsTarget() throws IOException {
        Path victim = Files.writeString(temp.resolve("victim.txt"), "original");
        Path fs = unpack(layer().symlink("f", victim.toString()).file("f", "new", 0644), TestLayers.GZIP);

        assertEquals("original", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(fs.resolve("f")));
        assertEquals("new", Files.readString(fs.resolve("f")));
    }

    @Test
    void refusesHardLinksOutsideTheLayer() throws IOException {
        BerthException error = unpackFails(layer().hardlink("passwd", "/etc/passwd"));
        assertTrue(error.getMessage().contains("not in this layer"), error.getMessage());

        Path victim = Files.createDirectory(temp.resolve("victim"));
        Files.writeString(victim.resolve("secret"), "s");
        unpackFails(layer().symlink("evil", victim.toString()).hardlink("copy", "evil/secret"));
    }

    @Test
    void refusesDeviceNodes() throws IOException {
        BerthException error = unpackFails(layer().file("a", "a", 0644).charDevice("dev/null"));
        assertTrue(error.getMessage().contains("device nodes are not allowed in layers"), error.getMessage());
    }

    @Test
    void turnsOciWhiteoutsIntoOverlayWhiteouts() throws IOException {
        TestLayers.requireRoot();
        Path fs = unpack(layer().dir("etc", 0755).file("etc/.wh.removed", "", 0644)
                .dir("var/cache", 0755).file("var/cache/.wh..wh..opq", "", 0644), TestLayers.GZIP);

        Path whiteout = fs.resolve("etc/removed");
        assertEquals(0020000, mode(whiteout) & 0170000, "a character device");
        assertEquals(0L, Files.getAttribute(whiteout, "unix:rdev", NOFOLLOW));
        assertFalse(Files.exists(fs.resolve("etc/.wh.removed"), NOFOLLOW));
        assertArrayEquals(new byte[] {'y'}, TestLayers.xattr(fs.resolve("var/cache"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(fs.resolve("var/cache/.wh..wh..opq"), NOFOLLOW));
    }

    @Test
    void aLaterEntryReplacesAnEarlierDirectory() throws IOException {
        Path fs = unpack(layer().dir("x", 0500).file("x/inner", "i", 0644).file("x", "now a file", 0600),
                TestLayers.TAR);
        assertEquals("now a file", Files.readString(fs.resolve("x")));
        assertEquals(0100600, mode(fs.resolve("x")));
    }
}
