package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeFilesTest {

    @TempDir
    Path tmp;

    private static final Map<String, byte[]> DATA = Map.of(
            "index.html", "hi".getBytes(StandardCharsets.UTF_8), "app.conf", "x=1".getBytes(StandardCharsets.UTF_8));

    @Test
    void projectsEveryKeyWithTheDefaultMode() throws IOException {
        ProjectedFiles.write(tmp.resolve("v"), DATA, null, 0400, null);
        assertEquals("hi", Files.readString(tmp.resolve("v/index.html")));
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("v/app.conf"))));
    }

    @Test
    void itemsChooseKeysPathsAndModes() throws IOException {
        ProjectedFiles.write(tmp.resolve("v"), DATA, List.of(new KeyToPath("app.conf", 0755, "conf/app.conf", null)), null, null);
        assertTrue(Files.notExists(tmp.resolve("v/index.html")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("v/conf/app.conf"))));
        assertThrows(BerthException.class, () -> ProjectedFiles.write(tmp.resolve("w"), DATA,
                List.of(new KeyToPath("app.conf", null, "../escape", null)), null, null));
        assertTrue(Files.notExists(tmp.resolve("escape")));
    }

    /** The kubelet's atomic writer: a new version beside the old, ..data swapped by a rename, the old one gone. */
    @Test
    void anUpdateSwapsItsVersionAtOnceAndLeavesNothingOfTheOld() throws IOException {
        Path v = tmp.resolve("v");
        ProjectedFiles.write(v, DATA, null, null, null);
        Path first = Files.readSymbolicLink(v.resolve(ProjectedFiles.DATA));
        assertEquals(Path.of(ProjectedFiles.DATA, "app.conf"), Files.readSymbolicLink(v.resolve("app.conf")));

        ProjectedFiles.write(v, Map.of("app.conf", "x=2".getBytes(StandardCharsets.UTF_8)), null, null, null);
        Path second = Files.readSymbolicLink(v.resolve(ProjectedFiles.DATA));
        assertNotEquals(first, second);
        assertEquals("x=2", Files.readString(v.resolve("app.conf")));
        assertTrue(Files.notExists(v.resolve(first)), "the old version is gone");
        assertTrue(Files.notExists(v.resolve("index.html"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "a key no longer projected is gone");
    }

    @Test
    void hostPathTypesAreChecked() throws IOException {
        HostPaths.check(tmp.resolve("made/dir"), "DirectoryOrCreate");
        assertTrue(Files.isDirectory(tmp.resolve("made/dir")));
        HostPaths.check(tmp.resolve("made/file"), "FileOrCreate");
        assertTrue(Files.isRegularFile(tmp.resolve("made/file")));
        assertEquals("hostPath " + tmp.resolve("made/file") + " is not a directory",
                assertThrows(BerthException.class, () -> HostPaths.check(tmp.resolve("made/file"), "Directory")).getMessage());
        assertThrows(BerthException.class, () -> HostPaths.check(tmp.resolve("made/dir"), "Socket"));
        HostPaths.check(Path.of("/dev/null"), "CharDevice");
    }
}
