package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.doctor.Check;
import dev.berth.doctor.Report;
import dev.berth.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** berth doctor's exit codes and options; the checks themselves are tested in dev.berth.doctor, the node in DoctorIT. */
class DoctorCommandTest {

    @Test
    void exitIsZeroWhenAllIsWellOneForAnErrorTwoForWarningsOnly() {
        Check ok = Check.ok("kernel", "Linux 6.1.0");
        Check warn = Check.warn("dnsmasq", "not found", "x");
        Check error = Check.error("conmon", "not found", "y");
        assertEquals(0, ExitCodes.of(new Report(List.of(ok, ok))));
        assertEquals(2, ExitCodes.of(new Report(List.of(ok, warn))));
        assertEquals(1, ExitCodes.of(new Report(List.of(warn, error, ok))));
    }

    @Test
    void anUnknownFormatOrRuntimeIsRefused() {
        CliRun yaml = CliRun.of("doctor", "-o", "yaml");
        assertEquals(1, yaml.exitCode(), yaml::toString);
        assertTrue(yaml.err().contains("unknown output format \"yaml\""), yaml::toString);

        CliRun youki = CliRun.of("doctor", "--runtime", "youki", "--config", "/nonexistent/berth.yaml");
        assertEquals(1, youki.exitCode(), youki::toString);
        assertTrue(youki.err().contains("unknown OCI runtime \"youki\""), youki::toString);
    }
}
