package dev.berth.net.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy against stand-ins for iptables-save and iptables-restore (shell scripts that log their calls): when it
 * runs them, and with what. The real iptables is {@link ServiceProxyIT}'s.
 */
class IptablesProxyTest {

    @TempDir
    Path bin;

    private static final ServiceEndpoints HEADLESS = new ServiceEndpoints("shop", "db", ServiceIps.NONE, List.of());
    private static final ServiceEndpoints WEB = new ServiceEndpoints("shop", "web", "10.96.0.2", List.of(
            new ServiceEndpoints.Port("", "TCP", 80, 0, List.of(new ServiceEndpoints.Endpoint("p", "10.88.0.2", 80)))));

    @BeforeEach
    void fakes() throws IOException {
        script("iptables-save", "echo save >> " + bin.resolve("calls") + "\ncat " + bin.resolve("tables") + " 2>/dev/null || true");
        script("iptables-restore", "echo \"restore $*\" >> " + bin.resolve("calls") + "\ncat >> " + bin.resolve("input")
                + "\nexit $(cat " + bin.resolve("exit") + " 2>/dev/null || echo 0)");
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        return Files.exists(bin.resolve("calls")) ? Files.readAllLines(bin.resolve("calls")) : List.of();
    }

    @Test
    void anUnchangedRenderingIsNotAppliedAgainAndAChangedOneIsAppliedWithNoflush() throws IOException {
        IptablesProxy proxy = new IptablesProxy(bin, bin);
        proxy.sync(List.of(WEB));
        assertEquals(List.of("save", "restore --noflush -w"), calls());
        assertTrue(Files.readString(bin.resolve("input")).contains("-j DNAT --to-destination 10.88.0.2:80"));
        proxy.sync(List.of(WEB));
        assertEquals(2, calls().size(), "same rules: nothing run");
        proxy.sync(List.of(WEB, HEADLESS)); // a headless Service adds no rule
        assertEquals(2, calls().size());
        Files.delete(bin.resolve("input"));
        proxy.sync(List.of());
        assertEquals(List.of("save", "restore --noflush -w", "restore --noflush -w"), calls(),
                "the tables are read once: later syncs build on what was applied");
        String removal = Files.readString(bin.resolve("input"));
        assertTrue(removal.contains("-D PREROUTING -m comment --comment \"berth service portals\" -j BERTH-SERVICES\n")
                && removal.contains("-D INPUT -m comment --comment \"berth firewall\" -j BERTH-FIREWALL\n")
                && removal.contains("-X BERTH-SERVICES\n") && removal.contains("-X " + IptablesRules.chain("SVC-",
                "shop/web/TCP") + "\n"), removal);
        assertFalse(removal.contains("-A "), removal);
    }

    @Test
    void aFirstSyncWithNoServiceAndNothingOfBerthsInTheTablesRunsNoRestore() throws IOException {
        new IptablesProxy(bin, bin).sync(List.of());
        assertEquals(List.of("save"), calls());
    }

    @Test
    void aFailedRestoreIsAnErrorWithItsMessageAndIsTriedAgainOnTheNextSync() throws IOException {
        Files.writeString(bin.resolve("exit"), "2");
        IptablesProxy proxy = new IptablesProxy(bin, bin);
        BerthException e = assertThrows(BerthException.class, () -> proxy.sync(List.of(WEB)));
        assertTrue(e.getMessage().startsWith("iptables-restore failed (exit 2)"), e.getMessage());
        Files.writeString(bin.resolve("exit"), "0");
        proxy.sync(List.of(WEB));
        assertEquals(4, calls().size());
    }

    @Test
    void aMissingIptablesNamesTheDebianPackage() {
        BerthException e = assertThrows(BerthException.class,
                () -> new IptablesProxy(bin.resolve("none"), bin).sync(List.of(WEB)));
        assertTrue(e.getMessage().contains("install Debian's package iptables"), e.getMessage());
    }
}
