package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe container on this host with the real runtimes: runc runs it, crun too once the host is prepared as CI
 * prepares it (no controller on the hybrid host's cgroup2 mount), a runtime that cannot run it says why, and
 * nothing is left: no bundle, no runtime state, no cgroup.
 */
class ProbeContainerIT {

    @TempDir
    Path dir;

    @Test
    void bothRuntimesRunTheProbeAndLeaveNothing() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("runc", "crun");
        ProbeContainer probe = new ProbeContainer(new RuntimeLayout(dir));
        assertEquals(Optional.empty(), probe.failure(Path.of("/usr/sbin/runc")));
        assertEquals(Optional.empty(), probe.failure(Path.of("/usr/bin/crun")),
                "crun fails here: is a controller bound to cgroup2 on this hybrid host (see .ci/run)?");
        try (Stream<Path> left = Files.list(dir.resolve("probe"))) {
            assertEquals(List.of(), left.toList(), "bundles left");
        }
        try (Stream<Path> cgroups = Files.list(cgroupParent())) {
            assertFalse(cgroups.anyMatch(c -> c.getFileName().toString().startsWith("probe-")), "probe cgroups left");
        }
    }

    @Test
    void aRuntimeThatCannotRunItSaysWhy() {
        Prerequisites.requireRoot();
        Optional<String> failure = new ProbeContainer(new RuntimeLayout(dir)).failure(Path.of("/bin/false"));
        assertTrue(failure.isPresent(), "false runs no container");
    }

    /** The pods' cgroup parent in the pids hierarchy (v1 and hybrid) or the one tree (v2). */
    private static Path cgroupParent() {
        Path v1 = Path.of("/sys/fs/cgroup/pids/berth");
        return Files.isDirectory(Path.of("/sys/fs/cgroup/pids")) ? v1 : Path.of("/sys/fs/cgroup/berth");
    }
}
