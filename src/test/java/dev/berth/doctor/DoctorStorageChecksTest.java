package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state and run roots: made at first use, not a file, owned by the right user, not writable by all. */
class DoctorStorageChecksTest {

    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path tmp;

    private List<Check> run(Path state, Path run, String owner) {
        return new StorageChecks(state, run, owner).run();
    }

    @Test
    void rootsThatExistOrCanBeMadeAreOkWithTheirFreeSpace() throws IOException {
        Path state = Files.createDirectories(tmp.resolve("state"));
        List<Check> checks = run(state, tmp.resolve("run/berth"), ME);
        assertEquals(List.of("state-root", "run-root"), checks.stream().map(Check::name).toList());
        checks.forEach(c -> assertEquals(Check.Status.OK, c.status(), c::toString));
        assertTrue(checks.get(0).message().matches(java.util.regex.Pattern.quote(state.toString())
                + ", [0-9.]+ [KMGT]?i?B free"), checks.get(0).message());
        assertTrue(checks.get(1).message().startsWith(tmp.resolve("run/berth") + " (made at first use, in " + tmp + ")"),
                checks.get(1).message());
    }

    @Test
    void aFileWhereTheRootShouldBeIsAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("state"), "");
        Check state = run(file.resolve("sub"), tmp, ME).get(0);
        assertEquals(Check.Status.ERROR, state.status());
        assertEquals(file + " is not a directory", state.message());
    }

    @Test
    void aRootWritableByAllOrOwnedByAnotherUserIsAWarning() throws IOException {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Check open = run(state, tmp, ME).get(0);
        assertEquals(Check.Status.WARN, open.status());
        assertEquals("chmod o-w " + state, open.fix());

        Check stranger = run(tmp, tmp, "someone-else").get(0);
        assertEquals(Check.Status.WARN, stranger.status());
        assertTrue(stranger.message().contains("belongs to " + ME), stranger.message());
    }

    @Test
    void sizesAreForPeople() {
        assertEquals("512 B", StorageChecks.human(512));
        assertEquals("1.0 GiB", StorageChecks.human(1L << 30));
        assertEquals("78.1 GiB", StorageChecks.human((long) (78.1 * (1L << 30))));
    }
}
