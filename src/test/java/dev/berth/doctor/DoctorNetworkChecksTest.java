package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.config.BerthConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI plugins a network calls, iptables and dnsmasq, in directories of stand-in programs. */
class DoctorNetworkChecksTest {

    @TempDir
    Path tmp;
    Path conf;
    Path bin;
    Path sbin;

    @BeforeEach
    void dirs() throws IOException {
        conf = Files.createDirectories(tmp.resolve("net.d"));
        bin = Files.createDirectories(tmp.resolve("cni"));
        sbin = Files.createDirectories(tmp.resolve("sbin"));
        for (String plugin : List.of("bridge", "host-local", "portmap", "firewall", "tuning")) {
            program(bin.resolve(plugin));
        }
        for (String name : List.of("iptables", "iptables-save", "iptables-restore", "dnsmasq")) {
            program(sbin.resolve(name));
        }
    }

    private static void program(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<Check> run(String name) {
        BerthConfig.Network network = new BerthConfig.Network(true, conf, List.of(tmp.resolve("none"), bin), name,
                "cluster.local", "10.96.0.0/16");
        return new NetworkChecks(network, sbin, sbin.resolve("dnsmasq"), p -> Optional.of("1.0")).run();
    }

    @Test
    void berthsOwnNetworkIsCheckedWithoutWritingIt() throws IOException {
        List<Check> checks = run("berth");
        assertEquals(List.of("cni", "iptables", "dnsmasq"), checks.stream().map(Check::name).toList());
        checks.forEach(c -> assertEquals(Check.Status.OK, c.status(), c::toString));
        assertEquals("network berth (written to " + conf + " at first use): bridge, host-local, portmap, firewall, "
                + "tuning in " + tmp.resolve("none") + ", " + bin, checks.get(0).message());
        try (var files = Files.list(conf)) {
            assertEquals(0, files.count(), "doctor writes no network config");
        }
    }

    @Test
    void missingPluginsAreNamedWithTheirPackage() throws IOException {
        Files.delete(bin.resolve("firewall"));
        Files.delete(bin.resolve("host-local"));
        Check cni = run("berth").get(0);
        assertEquals(Check.Status.ERROR, cni.status());
        assertTrue(cni.message().contains("needs the plugins host-local, firewall, not in"), cni.message());
        assertEquals("install Debian's package containernetworking-plugins (apt-get install -y "
                + "containernetworking-plugins)", cni.fix());
    }

    @Test
    void aNetworkOfTheUsersNeedsItsOwnPlugins() throws IOException {
        Files.writeString(conf.resolve("10-lan.conflist"), """
                {"cniVersion": "1.0.0", "name": "lan",
                 "plugins": [{"type": "macvlan", "master": "eth0", "ipam": {"type": "dhcp"}}]}
                """);
        Check cni = run("lan").get(0);
        assertEquals(Check.Status.ERROR, cni.status());
        assertTrue(cni.message().startsWith("network lan in " + conf + " needs the plugins macvlan, dhcp"),
                cni.message());

        Check unknown = run("nowhere").get(0);
        assertEquals(Check.Status.ERROR, unknown.status());
        assertTrue(unknown.message().contains("no CNI network named \"nowhere\""), unknown.message());

        Files.writeString(conf.resolve("20-broken.conflist"), "{not json");
        Check broken = run("berth").get(0);
        assertEquals(Check.Status.ERROR, broken.status());
        assertTrue(broken.message().contains("20-broken.conflist is not JSON"), broken.message());
    }

    @Test
    void iptablesIsNeededAndDnsmasqWanted() throws IOException {
        Files.delete(sbin.resolve("iptables-restore"));
        Files.delete(sbin.resolve("dnsmasq"));
        List<Check> checks = run("berth");
        assertEquals(Check.Status.ERROR, checks.get(1).status());
        assertTrue(checks.get(1).message().startsWith("iptables-restore not in"), checks.get(1).message());
        assertTrue(checks.get(1).fix().contains("apt-get install -y iptables"));
        assertEquals(Check.Status.WARN, checks.get(2).status());
        assertTrue(checks.get(2).fix().contains("apt-get install -y dnsmasq-base"));
    }

    @Test
    void withoutAPodNetworkNothingElseIsNeeded() {
        BerthConfig.Network off = new BerthConfig.Network(false, conf, List.of(tmp.resolve("none")), "berth",
                "cluster.local", "10.96.0.0/16");
        List<Check> checks = new NetworkChecks(off, tmp.resolve("none"), tmp.resolve("none/dnsmasq"),
                p -> Optional.empty()).run();
        assertEquals(1, checks.size());
        assertEquals(Check.Status.OK, checks.get(0).status());
    }
}
