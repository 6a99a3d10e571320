package dev.berth.net.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CNI protocol against plugin programs of the test's own: small shell scripts that log what they were given
 * (environment and stdin) and print what the test tells them to.
 */
class CniNetworkTest {

    private static final String RESULT = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"br0"},{"name":"veth1"},{"name":"eth0","sandbox":"/ns"}],
             "ips":[{"address":"10.88.3.7/24","interface":2},{"address":"10.88.3.1/24","interface":0}]}""";

    @TempDir
    Path dir;
    private Path bin;
    private Path conf;
    private Path calls;

    @BeforeEach
    void plugins() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        conf = Files.createDirectories(dir.resolve("net.d"));
        calls = dir.resolve("calls");
        plugin("addr", "printf '%s' '" + RESULT.replace("\n", "") + "'");
        plugin("chained", "printf '%s' '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.3.7/24\"}]}'");
        plugin("broken", "printf '%s' '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"failed to set bridge addr\","
                + "\"details\":\"could not add IP address\"}'; exit 1");
        plugin("hangs", "exec sleep 60");
    }

    /** A plugin that logs its call and stdin, then runs {@code onAdd} for ADD. */
    private void plugin(String name, String onAdd) throws IOException {
        plugin(name, onAdd, "true");
    }

    /** A plugin that logs its call and stdin, then runs {@code onAdd} for ADD and {@code onDel} for DEL. */
    private void plugin(String name, String onAdd, String onDel) throws IOException {
        Path program = bin.resolve(name);
        Files.writeString(program, "#!/bin/sh\n"
                + "cat > " + dir + "/" + name + ".$CNI_COMMAND.stdin\n"
                + "echo \"$CNI_COMMAND " + name + " $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS $CNI_PATH\" >> " + calls + "\n"
                + "if [ \"$CNI_COMMAND\" = ADD ]; then " + onAdd + "; fi\n"
                + "if [ \"$CNI_COMMAND\" = DEL ]; then " + onDel + "; fi\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void conflist(String name, String version, String... plugins) throws IOException {
        Files.writeString(conf.resolve(name + ".conflist"), "{\"cniVersion\":\"" + version + "\",\"name\":\"" + name
                + "\",\"plugins\":[" + String.join(",", plugins) + "]}");
    }

    private CniNetwork network(String name, Duration deadline) {
        return new CniNetwork(new CniNetwork.Settings(conf, List.of(dir.resolve("none"), bin), name),
                dir.resolve("cache"), dir.resolve("netns"), deadline);
    }

    private CniNetwork network(String name) {
        return network(name, Duration.ofSeconds(30));
    }

    private static PodAttachment pod(List<PodAttachment.HostPort> ports) {
        return new PodAttachment("web.app.a1b2c3", "web", "app", Path.of("/run/ns/web.app.a1b2c3/net"), ports);
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls).stream().map(l -> l.split(" ")[0] + " " + l.split(" ")[1])
                .toList() : List.of();
    }

    private JsonNode stdin(String plugin, String command) throws IOException {
        return JsonFiles.JSON.readTree(Files.readString(dir.resolve(plugin + "." + command + ".stdin")));
    }

    @Test
    void addRunsThePluginsInOrderEachGivenTheResultBefore() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\",\"bridge\":\"br-t\"}",
                "{\"type\":\"chained\",\"capabilities\":{\"portMappings\":true},\"snat\":true}");
        PodIps ips = network("net1").attach(pod(List.of(new PodAttachment.HostPort(8080, 80, "tcp", null),
                new PodAttachment.HostPort(5353, 53, "udp", "127.0.0.1"))));

        assertEquals(List.of("10.88.3.7"), ips.ips(), "the address on the pod's interface only");
        assertEquals(List.of("ADD addr", "ADD chained"), calls());
        String line = Files.readAllLines(calls).get(0);
        assertEquals("ADD addr web.app.a1b2c3 /run/ns/web.app.a1b2c3/net eth0 IgnoreUnknown=1;K8S_POD_NAMESPACE=web;"
                + "K8S_POD_NAME=app;K8S_POD_INFRA_CONTAINER_ID=web.app.a1b2c3 " + dir.resolve("none") + ":" + bin, line);

        JsonNode first = stdin("addr", "ADD");
        assertEquals("net1", first.get("name").asString());
        assertEquals("1.0.0", first.get("cniVersion").asString());
        assertEquals("br-t", first.get("bridge").asString());
        assertFalse(first.has("prevResult"));
        assertFalse(first.has("runtimeConfig"), "addr declares no capability");

        JsonNode second = stdin("chained", "ADD");
        assertEquals(JsonFiles.JSON.readTree(RESULT), second.get("prevResult"));
        assertEquals(JsonFiles.JSON.readTree("""
                {"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},
                 {"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"127.0.0.1"}]}"""),
                second.get("runtimeConfig"));
        assertEquals(List.of("web.app.a1b2c3"), network("net1").attached());
    }

    @Test
    void delRunsInReverseFromTheCacheEvenAfterTheConfigChanged() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}", "{\"type\":\"chained\"}");
        network("net1").attach(pod(List.of()));
        Files.delete(conf.resolve("net1.conflist"));
        conflist("net1", "1.0.0", "{\"type\":\"broken\"}");
        Files.delete(calls);

        network("net1").detach("web.app.a1b2c3");

        assertEquals(List.of("DEL chained", "DEL addr"), calls());
        JsonNode del = stdin("addr", "DEL");
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.3.7/24\"}]}",
                del.get("prevResult").toString(), "the chain's final result, as libcni caches it");
        assertEquals(List.of(), network("net1").attached());
    }

    @Test
    void delOfWhatIsGoneIsNoError() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}");
        CniNetwork network = network("net1");
        network.detach("never.attached.000000");
        network.attach(pod(List.of()));
        network.detach("web.app.a1b2c3");
        network.detach("web.app.a1b2c3");
        assertEquals(List.of("ADD addr", "DEL addr"), calls());
    }

    @Test
    void aFailedAddCarriesThePluginsMessageAndUndoesWhatWasMade() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}", "{\"type\":\"broken\"}");
        BerthException e = assertThrows(BerthException.class, () -> network("net1").attach(pod(List.of())));
        assertEquals("CNI plugin broken ADD failed: failed to set bridge addr: could not add IP address (code 11)",
                e.getMessage());
        assertEquals(List.of("ADD addr", "ADD broken", "DEL broken", "DEL addr"), calls());
        assertEquals(JsonFiles.JSON.readTree(RESULT), stdin("addr", "DEL").get("prevResult"),
                "the result so far, kept after each plugin: firewall removes its rules by the addresses in it");
        assertEquals(List.of(), network("net1").attached());
    }

    @Test
    void portmapWithoutHostPortsAndTuningWithNothingToTuneAreNotRunAsTheyWouldDoNothing() throws IOException {
        plugin("portmap", "printf '%s' '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.3.9/24\"}]}'");
        plugin("tuning", "printf '%s' '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.3.9/24\"}]}'");
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}",
                "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true},\"snat\":true}", "{\"type\":\"tuning\"}");
        CniNetwork network = network("net1");
        assertEquals(List.of("10.88.3.7"), network.attach(pod(List.of())).ips(), "addr's result, passed through");
        network.check("web.app.a1b2c3");
        network.detach("web.app.a1b2c3");
        assertEquals(List.of("ADD addr", "CHECK addr", "DEL addr"), calls());

        Files.delete(calls);
        network.attach(pod(List.of(new PodAttachment.HostPort(8080, 80, "tcp", null))));
        network.check("web.app.a1b2c3");
        network.detach("web.app.a1b2c3");
        assertEquals(List.of("ADD addr", "ADD portmap", "CHECK addr", "CHECK portmap", "DEL portmap", "DEL addr"),
                calls(), "with a host port portmap runs, and its DEL from the cached runtime config");
    }

    @Test
    void onlyAChainedPortmapWithoutMappingsAndABareChainedTuningAreIdle() throws IOException {
        String prev = ",\"prevResult\":" + RESULT.replace("\n", "");
        String common = "\"name\":\"net1\",\"cniVersion\":\"1.0.0\"";
        for (String idle : List.of("{\"type\":\"portmap\",\"snat\":true,\"capabilities\":{\"portMappings\":true}," + common
                + prev + "}", "{\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":[]}," + common + prev + "}",
                "{\"type\":\"tuning\"," + common + prev + "}")) {
            assertTrue(CniNetwork.idle((ObjectNode) JsonFiles.JSON.readTree(idle)), idle);
        }
        for (String busy : List.of("{\"type\":\"portmap\"," + common + "}",
                "{\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,\"containerPort\":80}]},"
                        + common + prev + "}",
                "{\"type\":\"tuning\"," + common + "}", "{\"type\":\"tuning\",\"mtu\":1400," + common + prev + "}",
                "{\"type\":\"tuning\",\"sysctl\":{\"net.core.somaxconn\":\"500\"}," + common + prev + "}",
                "{\"type\":\"tuning\",\"capabilities\":{\"mac\":true}," + common + prev + "}",
                "{\"type\":\"firewall\"," + common + prev + "}")) {
            assertFalse(CniNetwork.idle((ObjectNode) JsonFiles.JSON.readTree(busy)), busy);
        }
    }

    @Test
    void aHungPluginIsKilledAtTheDeadline() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"hangs\"}");
        BerthException e = assertThrows(BerthException.class,
                () -> network("net1", Duration.ofMillis(300)).attach(pod(List.of())));
        assertTrue(e.getMessage().startsWith("CNI plugin hangs ADD: ") && e.getMessage().contains("did not finish within"),
                e.getMessage());
        assertEquals(List.of(), network("net1").attached(), "the DEL after it ran: it does not hang");
    }

    @Test
    void aMissingPluginNamesItTheDirectoriesAndThePackageBeforeAnythingRuns() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}", "{\"type\":\"firewall\"}");
        BerthException e = assertThrows(BerthException.class, () -> network("net1").attach(pod(List.of())));
        assertEquals("CNI plugin \"firewall\" not found in " + dir.resolve("none") + ", " + bin
                + " (network.cniBinDirs): install Debian's package containernetworking-plugins", e.getMessage());
        assertEquals(List.of(), calls());
    }

    @Test
    void checkRunsInOrderWithTheCachedResultForVersionsThatHaveIt() throws IOException {
        conflist("net1", "1.0.0", "{\"type\":\"addr\"}", "{\"type\":\"chained\"}");
        conflist("old", "0.3.1", "{\"type\":\"addr\"}");
        network("net1").attach(pod(List.of()));
        network("net1").check("web.app.a1b2c3");
        assertEquals(List.of("ADD addr", "ADD chained", "CHECK addr", "CHECK chained"), calls());
        assertEquals("10.88.3.7/24", stdin("addr", "CHECK").at("/prevResult/ips/0/address").asString());
        network("net1").detach("web.app.a1b2c3");

        Files.delete(calls);
        network("old").attach(pod(List.of()));
        network("old").check("web.app.a1b2c3");
        assertEquals(List.of("ADD addr"), calls(), "no CHECK before spec 0.4.0");
    }

    @Test
    void theNetworkIsFoundByNameAndASinglePluginConfCounts() throws IOException {
        conflist("other", "1.0.0", "{\"type\":\"broken\"}");
        Files.writeString(conf.resolve("10-single.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":\"single\",\"type\":\"chained\"}");
        assertEquals(List.of("10.88.3.7"), network("single").attach(pod(List.of())).ips());
        assertEquals(List.of("ADD chained"), calls());
        assertEquals("single", stdin("chained", "ADD").get("name").asString());
    }

    @Test
    void aMissingNetworkOfTheUsersIsAnErrorButBerthsOwnIsWritten() throws IOException {
        BerthException e = assertThrows(BerthException.class, () -> network("mine").attach(pod(List.of())));
        assertTrue(e.getMessage().startsWith("no CNI network named \"mine\" in " + conf), e.getMessage());

        NetworkConfigList list = NetworkConfigList.load(conf, "berth");
        assertEquals(List.of("bridge", "portmap", "firewall", "tuning"),
                list.plugins().stream().map(p -> p.get("type").asString()).toList());
        assertEquals("berth0", list.plugins().get(0).get("bridge").asString());
        assertEquals("10.88.0.0/16", list.plugins().get(0).at("/ipam/ranges/0/0/subnet").asString());
        assertTrue(list.plugins().get(1).at("/capabilities/portMappings").asBoolean());
        assertEquals(list, NetworkConfigList.load(conf, "berth"), "read back from " + conf.resolve("berth.conflist"));
    }

    @Test
    void badConfigsNameTheirFile() throws IOException {
        Path file = conf.resolve("bad.conflist");
        Files.writeString(file, "{\"cniVersion\":\"1.0.0\",\"name\":\"bad\",\"plugins\":[{\"type\":\"../../bin/sh\"}]}");
        assertEquals("CNI config " + file + ": plugin type \"../../bin/sh\" is not a plain name",
                assertThrows(BerthException.class, () -> network("bad").attach(pod(List.of()))).getMessage());
        Files.writeString(file, "{\"cniVersion\":\"1.0.0\",\"plugins\":[]}");
        assertEquals("CNI config " + file + ": \"name\" must be a non-empty string",
                assertThrows(BerthException.class, () -> network("bad").attach(pod(List.of()))).getMessage());
        Files.writeString(file, "{not json");
        assertTrue(assertThrows(BerthException.class, () -> network("bad").attach(pod(List.of()))).getMessage()
                .startsWith("CNI config " + file + " is not JSON"));
    }

    /**
     * host-local as far as leases go: ADD leases 10.88.3.7 to the pod and prints {@link #RESULT}; DEL releases what
     * the pod holds on its interface. Its ipam block names the leases' directory, {@code <dir>/ipam/net1}.
     */
    private String hostLocal() throws IOException {
        Path leases = dir.resolve("ipam").resolve("net1");
        plugin("hostlocal", "mkdir -p " + leases + " && printf '%s\\r\\n%s' $CNI_CONTAINERID $CNI_IFNAME > " + leases
                + "/10.88.3.7 && printf '%s' '" + RESULT.replace("\n", "") + "'",
                "mine=$(printf '%s\\r\\n%s' $CNI_CONTAINERID $CNI_IFNAME); for f in " + leases + "/*; do"
                        + " [ \"$(cat \"$f\")\" = \"$mine\" ] && rm \"$f\"; done; true");
        return "{\"type\":\"hostlocal\",\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.88.3.0/24\"}],"
                + "[{\"subnet\":\"fd00:88::/64\"}]],\"dataDir\":\"" + dir.resolve("ipam") + "\"}}";
    }

    /** A file among net1's leases; host-local's hold the container id, CRLF and the interface name. */
    private Path lease(String name, String content) throws IOException {
        Path file = Files.createDirectories(dir.resolve("ipam").resolve("net1")).resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** The directory of the pod's pinned namespaces, which marks it as this berth's (its namespaces stay unpinned). */
    private void ownPod(String podId) throws IOException {
        Files.createDirectories(dir.resolve("netns").resolve(podId));
    }

    private List<String> leaseDir() throws IOException {
        try (var files = Files.list(dir.resolve("ipam").resolve("net1"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aLeaseWithoutACachedResultIsReportedAndDeletedWithAResultMadeFromIt() throws IOException {
        conflist("net1", "1.0.0", hostLocal(), "{\"type\":\"chained\",\"capabilities\":{\"portMappings\":true}}");
        lease("10.88.3.7", "web.app.a1b2c3\r\neth0");
        lease("fd00:88::7", "web.app.a1b2c3\r\neth0");
        lease("last_reserved_ip.0", "fd00:88::7");
        lease("lock", "");
        CniNetwork network = network("net1");
        assertEquals(List.of(), network.attached(), "not this berth's pod: another's may share the leases");
        ownPod("web.app.a1b2c3");
        assertEquals(List.of("web.app.a1b2c3"), network.attached(), "no cached result, but its leases");

        network.detach("web.app.a1b2c3");

        assertEquals(List.of("DEL chained", "DEL hostlocal"), calls());
        assertEquals("DEL hostlocal web.app.a1b2c3  eth0 IgnoreUnknown=1;K8S_POD_NAMESPACE=web;K8S_POD_NAME=app;"
                + "K8S_POD_INFRA_CONTAINER_ID=web.app.a1b2c3 " + dir.resolve("none") + ":" + bin,
                Files.readAllLines(calls).get(1), "no netns: the pod's is not pinned");
        JsonNode del = stdin("hostlocal", "DEL");
        assertEquals(JsonFiles.JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.3.7/24\"},"
                + "{\"address\":\"fd00:88::7/64\"}]}"), del.get("prevResult"), "the leased addresses in their subnets");
        assertFalse(del.has("runtimeConfig"));
        assertEquals(JsonFiles.JSON.readTree("{\"portMappings\":[{\"hostPort\":1,\"containerPort\":1,"
                + "\"protocol\":\"tcp\"}]}"), stdin("chained", "DEL").get("runtimeConfig"),
                "portmap skips a DEL without mappings");
        assertEquals(List.of("last_reserved_ip.0", "lock"), leaseDir(), "released");
        assertEquals(List.of(), network.attached());
        network.detach("web.app.a1b2c3");
        assertEquals(2, calls().size(), "nothing left to DEL");
    }

    @Test
    void aLeaseWithACachedResultCountsOnceAndIsDeletedFromTheCache() throws IOException {
        conflist("net1", "1.0.0", hostLocal(), "{\"type\":\"chained\"}");
        CniNetwork network = network("net1");
        network.attach(pod(List.of()));
        lease("10.88.3.8", "db.cache-lost.0f0f0f\r\neth0");
        lease("10.88.3.9", "db.other-berths.0f0f0f\r\neth0");
        ownPod("db.cache-lost.0f0f0f");
        assertEquals(List.of("db.cache-lost.0f0f0f", "web.app.a1b2c3"), network.attached(),
                "each once, and not another berth's pod");

        network.detach("web.app.a1b2c3");
        assertEquals("DEL hostlocal web.app.a1b2c3 /run/ns/web.app.a1b2c3/net", String.join(" ",
                List.of(Files.readAllLines(calls).get(3).split(" ")).subList(0, 4)), "the cached call, netns and all");
        assertEquals(List.of("db.cache-lost.0f0f0f"), network.attached());
        network.detach("db.cache-lost.0f0f0f");
        assertEquals("IgnoreUnknown=1;K8S_POD_NAMESPACE=db;K8S_POD_NAME=cache-lost;K8S_POD_INFRA_CONTAINER_ID="
                + "db.cache-lost.0f0f0f", Files.readAllLines(calls).get(5).split(" ")[5], "no netns");
        assertEquals(List.of(), network.attached());
    }

    @Test
    void whatIsNoLeaseOfABerthPodIsPassedOver() throws Exception {
        conflist("net1", "1.0.0", hostLocal());
        Path outside = dir.resolve("outside");
        Files.writeString(outside, "evil.pod.abcdef\r\neth0");
        lease("lock", "");
        lease("last_reserved_ip.0", "10.88.3.9");
        lease("10.88.3.10", "0123456789abcdef".repeat(4) + "\r\neth0"); // another runtime's container
        lease("10.88.3.11", "../../etc/x.y.abcdef\r\neth0");
        lease("10.88.3.12", "a.b.abcdef;rm -rf /\r\neth0");
        lease("10.88.3.13", "web.app.a1b2c3\r\neth1"); // berth's pods have eth0 only
        lease("10.88.3.14", "web.app.a1b2c3");
        lease("10.88.3.15", "web.app.a1b2c3\r\neth0" + " ".repeat(600)); // longer than any lease
        lease("1.2.3", "web.app.a1b2c3\r\neth0"); // no address, though InetAddress reads one
        lease("notes", "web.app.a1b2c3\r\neth0");
        Path leases = dir.resolve("ipam").resolve("net1");
        Files.createSymbolicLink(leases.resolve("10.88.3.16"), outside);
        Files.createDirectories(leases.resolve("10.88.3.17"));
        assertEquals(0, new ProcessBuilder("mkfifo", leases.resolve("10.88.3.18").toString()).start().waitFor());
        lease("10.88.3.19", "db.ok.000001\r\neth0"); // among them, a lease
        ownPod("db.ok.000001");
        ownPod("web.app.a1b2c3");
        ownPod("evil.pod.abcdef");
        CniNetwork network = network("net1");

        assertEquals(List.of("db.ok.000001"), assertTimeoutPreemptively(Duration.ofSeconds(10), network::attached),
                "a FIFO is not read");
        network.detach("evil.pod.abcdef");
        network.detach("web.app.a1b2c3");
        assertEquals(List.of(), calls());
        assertEquals(14, leaseDir().size(), "all left as they were");
    }

    @Test
    void addressesOfOldResultVersionsAreRead() {
        assertEquals(List.of("10.1.0.5", "fd00::5"), CniNetwork.ips(JsonFiles.JSON.readTree(
                "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.0.5/16\"},\"ip6\":{\"ip\":\"fd00::5/64\"}}")));
        assertTrue(CniNetwork.supportsCheck("0.4.0"));
        assertTrue(CniNetwork.supportsCheck("1.0.0"));
        assertFalse(CniNetwork.supportsCheck("0.3.1"));
    }
}
