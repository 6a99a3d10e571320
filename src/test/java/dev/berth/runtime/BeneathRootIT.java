package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths inside a volume bound without following links (root: it mounts). */
class BeneathRootIT {

    @TempDir
    Path dir;
    Path volume;
    Path outside;
    private final Mounter mounter = new Mounter();

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        volume = Files.createDirectories(dir.resolve("volume"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
    }

    @AfterEach
    void unmount() {
        mounter.unmountAllUnder(dir);
    }

    @Test
    void bindsADirectoryMadeWhereMissingAndAFile() throws Exception {
        new BeneathRoot(volume, mounter).bind("a/b", dir.resolve("staged-dir"));
        assertTrue(Files.isDirectory(volume.resolve("a/b")), "made, as the kubelet makes a missing subPath");
        Files.writeString(dir.resolve("staged-dir/through"), "x");
        assertEquals("x", Files.readString(volume.resolve("a/b/through")));

        Files.writeString(volume.resolve("a/file"), "content");
        new BeneathRoot(volume, mounter).bind("a/file", dir.resolve("staged-file"));
        assertEquals("content", Files.readString(dir.resolve("staged-file")));
    }

    @Test
    void missingDirectoriesTakeTheRootsModeAndSetgidGroupAsTheKubeletMakesThem() throws Exception {
        Files.setAttribute(volume, "unix:gid", 123);
        Files.setAttribute(volume, "unix:mode", 02777); // an emptyDir with fsGroup 123
        new BeneathRoot(volume, mounter).bind("sub/path", dir.resolve("staged"));
        for (Path made : new Path[] {volume.resolve("sub"), volume.resolve("sub/path")}) {
            assertEquals(02777, (Integer) Files.getAttribute(made, "unix:mode") & 07777, made.toString());
            assertEquals(123, Files.getAttribute(made, "unix:gid"), made.toString());
        }
        Files.setAttribute(volume, "unix:mode", 0750);
        new BeneathRoot(volume, mounter).bind("other", dir.resolve("staged-2"));
        assertEquals(0750, (Integer) Files.getAttribute(volume.resolve("other"), "unix:mode") & 07777,
                "the root's mode, whatever it is, not a fixed one");
    }

    @Test
    void aSymbolicLinkAnywhereOnThePathIsRefused() throws Exception {
        Files.createSymbolicLink(volume.resolve("link"), outside);
        Files.createDirectories(volume.resolve("d"));
        Files.createSymbolicLink(volume.resolve("d/inner"), volume.resolve("d")); // even one that stays inside
        BerthException last = assertThrows(BerthException.class,
                () -> new BeneathRoot(volume, mounter).bind("link", dir.resolve("t1")));
        assertTrue(last.getMessage().contains("goes through a symbolic link"), last.getMessage());
        assertThrows(BerthException.class, () -> new BeneathRoot(volume, mounter).bind("link/secret", dir.resolve("t2")));
        assertThrows(BerthException.class, () -> new BeneathRoot(volume, mounter).bind("d/inner", dir.resolve("t3")));
        assertFalse(Files.exists(outside.resolve("secret/x")));
        assertEquals("host", Files.readString(outside.resolve("secret")));
    }

    @Test
    void dotDotIsRefusedHoweverItIsSpelled() {
        BerthException e = assertThrows(BerthException.class,
                () -> new BeneathRoot(volume, mounter).bind("../outside", dir.resolve("t")));
        assertTrue(e.getMessage().contains("leads out of it"), e.getMessage());
        assertThrows(BerthException.class, () -> new BeneathRoot(volume, mounter).bind("a/../../outside", dir.resolve("t")));
        assertFalse(Files.exists(dir.resolve("t")));
    }
}
