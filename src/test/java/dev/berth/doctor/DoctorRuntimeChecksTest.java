package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.OciRuntimeChoice.Choice;
import dev.berth.runtime.OciRuntimeChoice.Preference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which OCI runtime berth would use and why, conmon, and the seccomp profile; the runtimes answer through a fake. */
class DoctorRuntimeChecksTest {

    private static final Path CRUN = Path.of("/usr/bin/crun");
    private static final Path RUNC = Path.of("/usr/sbin/runc");
    private static final String HYBRID_FIX = "mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup "
            + "/sys/fs/cgroup/hugetlb";

    @TempDir
    Path tmp;
    Path conmon;
    Path seccomp;
    final List<Path> probed = new ArrayList<>();

    @BeforeEach
    void programs() throws IOException {
        conmon = Files.writeString(tmp.resolve("conmon"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(conmon, PosixFilePermissions.fromString("rwxr-xr-x"));
        seccomp = Files.writeString(tmp.resolve("seccomp.json"), "{\"defaultAction\": \"SCMP_ACT_ERRNO\", "
                + "\"syscalls\": []}");
    }

    /** A trial that chooses {@code chosen} and whose probe says {@code failures} of each binary (absent: it ran). */
    private RuntimeTrial trial(Choice chosen, Map<Path, String> failures) {
        return new RuntimeTrial() {
            @Override
            public Choice evaluate(Preference preference) {
                if (chosen == null) {
                    throw new BerthException("no OCI runtime: install Debian's package crun or runc");
                }
                return chosen;
            }

            @Override
            public Optional<String> probeFailure(Choice choice) {
                probed.add(choice.binary());
                return Optional.ofNullable(failures.get(choice.binary()));
            }
        };
    }

    private List<Check> run(Preference preference, boolean root, RuntimeTrial trial) {
        return new RuntimeChecks(preference, root, trial, conmon, seccomp,
                binary -> Optional.of(binary.getFileName().toString().equals("crun") ? "1.8.1" : "1.1.5")).run();
    }

    private Check runtime(Preference preference, Choice chosen, Map<Path, String> failures) {
        return run(preference, true, trial(chosen, failures)).get(0);
    }

    @Test
    void crunThatRanItsProbeIsOkAndNotProbedAgain() {
        Check check = runtime(Preference.AUTO, new Choice(CRUN, "crun ran a probe container", ""), Map.of());
        assertEquals(Check.Status.OK, check.status());
        assertEquals("crun 1.8.1 (/usr/bin/crun): crun ran a probe container", check.message());
        assertEquals(List.of(), probed);
    }

    @Test
    void runcAfterCrunFailedOnAHybridHostWarnsWithTheMount() {
        Check check = runtime(Preference.AUTO, new Choice(RUNC, "crun cannot run containers here (cgroups in hybrid "
                + "mode not supported, drop all controllers from cgroupv2)", HYBRID_FIX), Map.of());
        assertEquals(Check.Status.WARN, check.status());
        assertTrue(check.message().startsWith("runc 1.1.5 (/usr/sbin/runc): crun cannot run containers here"),
                check.message());
        assertEquals("mount it on cgroup v1 as systemd does: " + HYBRID_FIX, check.fix());
        assertEquals(List.of(RUNC), probed, "runc itself is tried");
    }

    @Test
    void runcOnAHostWithoutCrunIsOk() {
        Check check = runtime(Preference.AUTO, new Choice(RUNC, OciRuntimeChoice.CRUN_NOT_INSTALLED, ""), Map.of());
        assertEquals(Check.Status.OK, check.status());
        assertTrue(check.message().contains("apt-get install -y crun"), check.message());
    }

    @Test
    void noRuntimeThatRunsContainersIsAnError() {
        Check none = runtime(Preference.AUTO, null, Map.of());
        assertEquals(Check.Status.ERROR, none.status());
        assertTrue(none.message().contains("no OCI runtime"), none.message());

        Check runcFails = runtime(Preference.AUTO, new Choice(RUNC, "crun cannot run containers here (x)", ""),
                Map.of(RUNC, "permission denied"));
        assertEquals(Check.Status.ERROR, runcFails.status());
        assertTrue(runcFails.message().contains("runc fails (permission denied)"), runcFails.message());
    }

    @Test
    void aRuntimeTheConfigNamesIsProbedAndAFailureIsAnError() {
        Choice named = new Choice(CRUN, "asked for in the config or on the command line", "");
        Check fails = runtime(Preference.CRUN, named, Map.of(CRUN, "cgroups in hybrid mode not supported"));
        assertEquals(Check.Status.ERROR, fails.status());
        assertTrue(fails.message().contains("cgroups in hybrid mode not supported"), fails.message());
        assertTrue(fails.fix().contains("runtime: auto"), fails.fix());

        Check runs = runtime(Preference.CRUN, named, Map.of());
        assertEquals(Check.Status.OK, runs.status());
        assertEquals(List.of(CRUN, CRUN), probed);
    }

    @Test
    void withoutRootNoProbeIsTried() {
        Check check = run(Preference.AUTO, false, trial(new Choice(CRUN, "x", ""), Map.of())).get(0);
        assertEquals(Check.Status.WARN, check.status());
        assertEquals(List.of(), probed);
    }

    @Test
    void conmonIsFoundOrItsPackageNamed() throws IOException {
        Check found = run(Preference.AUTO, false, trial(null, Map.of())).get(1);
        assertEquals(Check.Status.OK, found.status());
        assertEquals(conmon + " 1.1.5", found.message());

        Files.delete(conmon);
        Check missing = run(Preference.AUTO, false, trial(null, Map.of())).get(1);
        assertEquals(Check.Status.ERROR, missing.status());
        assertEquals("conmon", missing.name());
        assertEquals("install Debian's package conmon (apt-get install -y conmon)", missing.fix());

        Files.writeString(conmon, "not executable");
        assertEquals(Check.Status.ERROR, run(Preference.AUTO, false, trial(null, Map.of())).get(1).status());
    }

    @Test
    void theDefaultSeccompProfileMustBeThere() throws IOException {
        assertEquals(Check.Status.OK, run(Preference.AUTO, false, trial(null, Map.of())).get(2).status());

        Files.writeString(seccomp, "{not json");
        Check broken = run(Preference.AUTO, false, trial(null, Map.of())).get(2);
        assertEquals(Check.Status.ERROR, broken.status());

        Files.delete(seccomp);
        Check missing = run(Preference.AUTO, false, trial(null, Map.of())).get(2);
        assertEquals(Check.Status.ERROR, missing.status());
        assertTrue(missing.message().contains("not found"), missing.message());
        assertTrue(missing.fix().contains("golang-github-containers-common"), missing.fix());
    }
}
