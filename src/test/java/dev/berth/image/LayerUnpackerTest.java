package dev.berth.image;

import static dev.berth.image.TestLayers.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    private static int nlink(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:nlink", NOFOLLOW);
    }

    /** A host file next to the unpack root, out of every layer's reach. */
    private Path sentinel() throws IOException {
        return Files.writeString(temp.resolve("sentinel"), "host");
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            assertEquals(List.of(), children.toList(), "written outside the unpack root");
        }
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

    @ParameterizedTest
    @ValueSource(strings = {"../sentinel", "a/../../sentinel", "./../sentinel"})
    void refusesHardLinksThatClimbOutThroughDotDot(String target) throws IOException {
        Path sentinel = sentinel();
        BerthException error = unpackFails(layer().dir("a", 0755).hardlink("copy", target));

        assertTrue(error.getMessage().contains("'..'"), error.getMessage());
        assertEquals(1, nlink(sentinel), "the host file gained a link");
    }

    @Test
    void refusesHardLinksToAnAbsolutePathOutside() throws IOException {
        Path sentinel = sentinel();
        // An absolute target means the container's root, i.e. this layer, where that path does not exist.
        BerthException error = unpackFails(layer().hardlink("copy", sentinel.toString()));

        assertTrue(error.getMessage().contains("not in this layer"), error.getMessage());
        assertEquals(1, nlink(sentinel), "the host file gained a link");
    }

    @Test
    void aHardLinkToASymlinkLinksTheSymlinkNotTheHostFile() throws IOException {
        Path sentinel = sentinel();
        Path fs = unpack(layer().symlink("evil", sentinel.toString()).hardlink("copy", "evil"), TestLayers.GZIP);

        // link(2) does not follow symlinks: "copy" is that same symlink, which means something only in the container.
        assertTrue(Files.isSymbolicLink(fs.resolve("copy")));
        assertEquals(Files.getAttribute(fs.resolve("evil"), "unix:ino", NOFOLLOW),
                Files.getAttribute(fs.resolve("copy"), "unix:ino", NOFOLLOW));
        assertEquals(1, nlink(sentinel), "the host file gained a link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/passwd", "a/x/file"})
    void neverWritesThroughASymlinkChain(String name) throws IOException {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        // a -> b -> ../victim: seen from fs/b, "../victim" is the directory next to the unpack root.
        BerthException error = unpackFails(layer().symlink("a", "b").symlink("b", "../victim").file(name, "owned", 0644));

        assertTrue(error.getMessage().contains("goes through the symlink a"), error.getMessage());
        assertEmpty(victim);
    }

    @Test
    void refusesAnEntryBelowASymlinkLoop() throws IOException {
        BerthException error = unpackFails(layer().symlink("a", "b").symlink("b", "a").file("a/file", "x", 0644));
        assertTrue(error.getMessage().contains("goes through the symlink a"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".wh...", "dir/.wh...", ".wh..", "dir/.wh.", "dir/.wh./"})
    void refusesWhiteoutsOfParentOrSelfOrNothing(String name) throws IOException {
        Path sentinel = sentinel(); // what a whiteout of fs/.. would remove with the rest of temp
        BerthException error = unpackFails(layer().dir("dir", 0755).file(name, "", 0644));

        assertTrue(error.getMessage().contains("not a valid whiteout"), error.getMessage());
        assertEquals("host", Files.readString(sentinel));
    }

    @Test
    void aWhiteoutPrefixOnADirectoryIsJustAName() throws IOException {
        Path sentinel = sentinel();
        // Names split on '/', so ".wh.../sentinel" is the file "sentinel" in a directory named ".wh...", not a whiteout
        // of "../sentinel". containerd, too, reads only the last component as a whiteout.
        Path fs = unpack(layer().file(".wh.../sentinel", "layer", 0644), TestLayers.GZIP);

        assertEquals("layer", Files.readString(fs.resolve(".wh.../sentinel")));
        assertEquals("host", Files.readString(sentinel));
    }

    @Test
    void neverMarksADirectoryOpaqueThroughASymlink() throws IOException {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        BerthException error = unpackFails(layer().symlink("evil", victim.toString()).file("evil/.wh..wh..opq", "", 0644));

        assertTrue(error.getMessage().contains("goes through the symlink evil"), error.getMessage());
        assertNull(TestLayers.xattr(victim, "trusted.overlay.opaque"));
    }

    @Test
    void aWhiteoutReplacesASymlinkNotWhatItPointsTo() throws IOException {
        TestLayers.requireRoot();
        Path victim = Files.createDirectory(temp.resolve("victim"));
        Files.writeString(victim.resolve("data"), "host");
        Path fs = unpack(layer().symlink("evil", victim.toString()).file(".wh.evil", "", 0644), TestLayers.GZIP);

        assertEquals(0020000, mode(fs.resolve("evil")) & 0170000, "the symlink became a whiteout");
        assertEquals("host", Files.readString(victim.resolve("data")));
    }

    @ParameterizedTest
    @ValueSource(bytes = {TarConstants.LF_CHR, TarConstants.LF_BLK})
    void refusesDeviceNodes(byte type) throws IOException {
        // A device node would give the container the host's hardware (a disk, memory) whatever its cgroup allows.
        BerthException error = unpackFails(layer().file("a", "a", 0644).special("dev/sda", type, 0666));
        assertTrue(error.getMessage().contains("device nodes are not allowed in layers"), error.getMessage());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the bug this guards against waits forever
    void keepsFifosWithTheirModeAndTime() throws IOException {
        // A FIFO reaches nothing outside the container, so it is kept, as containerd does. Setting its mode or times
        // must not open it: opening a FIFO waits for a writer that never comes.
        TestLayers.Builder builder = layer().special("run/pipe", TarConstants.LF_FIFO, 0620);
        builder.last().setLastModifiedTime(MTIME);
        Path fs = unpack(builder, TestLayers.GZIP);

        assertEquals(0010620, mode(fs.resolve("run/pipe")), "a FIFO, rw--w----");
        assertEquals(MTIME, Files.getLastModifiedTime(fs.resolve("run/pipe"), NOFOLLOW));
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

    @Test
    void keepsSetuidSetgidAndStickyBitsExactlyAsRoot() throws IOException {
        TestLayers.requireRoot();
        // As containerd does: the rootfs holds the image's modes as they are; what a setuid binary may do is decided
        // when the container runs (its user namespace, no_new_privs). chown clears these bits, so this also checks
        // that the mode comes after the owner.
        TestLayers.Builder builder = layer()
                .file("bin/su", "elf", 04755).owner(1000, 1000)
                .file("bin/wall", "elf", 02755).owner(0, 5)
                .file("bin/both", "elf", 06711).owner(1000, 1000)
                .dir("shared", 02775).owner(1000, 1000)
                .dir("tmp", 01777);
        Path fs = unpack(builder, TestLayers.GZIP);

        assertEquals(0104755, mode(fs.resolve("bin/su")));
        assertEquals(0102755, mode(fs.resolve("bin/wall")));
        assertEquals(0106711, mode(fs.resolve("bin/both")));
        assertEquals(1000, Files.getAttribute(fs.resolve("bin/both"), "unix:uid", NOFOLLOW));
        assertEquals(042775, mode(fs.resolve("shared")));
        assertEquals(041777, mode(fs.resolve("tmp")));
    }

    @Test
    void setuidBitsNeverReachAnythingOutside() throws IOException {
        Path sentinel = sentinel();
        Files.setPosixFilePermissions(sentinel, PosixFilePermissions.fromString("rw-r--r--"));
        Path victim = Files.createDirectory(temp.resolve("victim"));
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestLayers.Builder builder = layer()
                .symlink("su", sentinel.toString()).mode(04755) // never applied to a symlink: chmod would follow it
                .symlink("d", victim.toString())
                .dir("d", 06777) // replaces the symlink d rather than changing what it pointed to
                .file("bin/tool", "elf", 0755)
                .hardlink("bin/su", "bin/tool").mode(04755); // a hard link shares its target's mode, it adds none
        Path fs = unpack(builder, TestLayers.GZIP);

        assertEquals(0100644, mode(sentinel));
        assertEquals(040755, mode(victim));
        assertEquals(046777, mode(fs.resolve("d")));
        assertEquals(0100755, mode(fs.resolve("bin/tool")));
    }

    @Test
    void aSymlinksOwnerAndTimeNeverReachItsTarget() throws IOException {
        Path sentinel = sentinel();
        Object owner = Files.getAttribute(sentinel, "unix:uid");
        FileTime modified = Files.getLastModifiedTime(sentinel);
        TestLayers.Builder builder = layer().symlink("link", sentinel.toString()).owner(1000, 1000);
        builder.last().setLastModifiedTime(MTIME);
        Path fs = unpack(builder, TestLayers.GZIP);

        assertEquals(MTIME, Files.getLastModifiedTime(fs.resolve("link"), NOFOLLOW));
        assertEquals(modified, Files.getLastModifiedTime(sentinel));
        assertEquals(owner, Files.getAttribute(sentinel, "unix:uid"));
    }

    @Test
    void refusesASetuidFileBelowASymlink() throws IOException {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        BerthException error = unpackFails(layer().symlink("bin", victim.toString()).file("bin/su", "elf", 04755));

        assertTrue(error.getMessage().contains("goes through the symlink bin"), error.getMessage());
        assertEmpty(victim);
    }
}
