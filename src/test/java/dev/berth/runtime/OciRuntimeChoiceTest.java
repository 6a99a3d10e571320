package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** crun where its probe container runs, else runc; the choice kept for the boot; no switch under running containers. */
class OciRuntimeChoiceTest {

    @TempDir
    Path dir;

    private final List<Path> probed = new ArrayList<>();
    private final Function<String, Optional<Path>> both = name -> Optional.of(Path.of("/usr/bin", name));

    private OciRuntimeChoice choice(String crunFailure, String bootId) {
        return new OciRuntimeChoice(new RuntimeLayout(dir), both, binary -> {
            probed.add(binary);
            return binary.endsWith("crun") ? Optional.ofNullable(crunFailure) : Optional.empty();
        }, bootId);
    }

    @Test
    void crunIsChosenWhenItsProbeContainerRunsAndTheChoiceIsKeptForTheBoot() {
        OciRuntimeChoice.Choice chosen = choice(null, "boot-1").choose(OciRuntimeChoice.Preference.AUTO);
        assertEquals(Path.of("/usr/bin/crun"), chosen.binary());
        assertEquals("crun", chosen.name());
        assertEquals(List.of(Path.of("/usr/bin/crun")), probed);

        assertEquals("crun", choice("would fail now", "boot-1").choose(OciRuntimeChoice.Preference.AUTO).name());
        assertEquals(1, probed.size(), "no second probe in the same boot");
        assertEquals("runc", choice("fails after the reboot", "boot-2").choose(OciRuntimeChoice.Preference.AUTO).name());
    }

    @Test
    void runcIsChosenWhenCrunFailsOrIsMissingAndTheReasonSaysWhy() {
        OciRuntimeChoice.Choice chosen = choice("cgroups in hybrid mode not supported", "b")
                .choose(OciRuntimeChoice.Preference.AUTO);
        assertEquals("runc", chosen.name());
        assertTrue(chosen.reason().contains("cgroups in hybrid mode not supported"), chosen.reason());

        OciRuntimeChoice.Choice noCrun = new OciRuntimeChoice(new RuntimeLayout(dir.resolve("other")),
                name -> name.equals("runc") ? Optional.of(Path.of("/usr/bin/runc")) : Optional.empty(),
                binary -> Optional.empty(), "b").choose(OciRuntimeChoice.Preference.AUTO);
        assertEquals("runc", noCrun.name());
        assertEquals("crun is not installed", noCrun.reason());

        BerthException none = assertThrows(BerthException.class, () -> new OciRuntimeChoice(
                new RuntimeLayout(dir.resolve("bare")), name -> Optional.empty(), binary -> Optional.empty(), "b")
                .choose(OciRuntimeChoice.Preference.RUNC));
        assertTrue(none.getMessage().contains("install Debian's package runc"), none.getMessage());
    }

    @Test
    void aNamedRuntimeIsTakenWithoutAProbeButNotWhileTheOthersContainersRun() throws IOException {
        assertEquals("crun", choice(null, "b").choose(OciRuntimeChoice.Preference.AUTO).name());
        assertEquals("runc", choice(null, "b").choose(OciRuntimeChoice.Preference.RUNC).name(), "none runs yet");
        assertEquals(1, probed.size());

        Files.createDirectories(new RuntimeLayout(dir).ociRoot("runc").resolve("default.web.abc-main"));
        BerthException refused = assertThrows(BerthException.class,
                () -> choice(null, "b").choose(OciRuntimeChoice.Preference.CRUN));
        assertTrue(refused.getMessage().contains("the node's containers run under runc"), refused.getMessage());
        assertEquals("runc", choice(null, "b").choose(OciRuntimeChoice.Preference.AUTO).name(), "auto keeps it");
    }

    @Test
    void aHybridHostNamesTheControllersToMoveToV1() {
        assertEquals("", OciRuntimeChoice.hybridReason(""));
        assertEquals("", OciRuntimeChoice.hybridFix(""));
        assertTrue(OciRuntimeChoice.hybridReason("hugetlb").contains("(here: hugetlb)"));
        assertEquals("mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb; "
                        + "mkdir -p /sys/fs/cgroup/rdma && mount -t cgroup -o rdma cgroup /sys/fs/cgroup/rdma",
                OciRuntimeChoice.hybridFix("hugetlb rdma\n"));
    }

    @Test
    void anUnknownRuntimeNameIsAnError() {
        assertEquals(OciRuntimeChoice.Preference.CRUN, OciRuntimeChoice.Preference.parse("crun"));
        assertThrows(BerthException.class, () -> OciRuntimeChoice.Preference.parse("youki"));
    }
}
