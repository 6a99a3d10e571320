package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BundleBuilderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ContainerSpec sample(ProcessSpec process) {
        return new ContainerSpec("web-1", "web", process,
                List.of(new Mount("overlay", "overlay", List.of("lowerdir=/l", "upperdir=/u", "workdir=/w"))),
                List.of(ExtraMount.bind("/srv/data", "/data", true), ExtraMount.tmpfs("/tmp", List.of("size=1m"))),
                new Resources(50_000, 100_000, 512, 32L << 20, 100),
                new SharedNamespaces(Path.of("/run/berth/netns/p/net"), Path.of("/run/berth/netns/p/ipc"), null),
                "/berth/p/web-1", Path.of("/var/log/web.log"), 0);
    }

    private static ProcessSpec process(List<String> add, List<String> drop, boolean privileged) {
        return new ProcessSpec(List.of("sh", "-c", "echo hi"), List.of("PATH=/bin"), "/app", 1000, 1000,
                List.of(10, 20), true, add, drop, true, privileged);
    }

    private static JsonNode config(BundleBuilder builder, ContainerSpec spec, @TempDir Path dir) throws Exception {
        builder.write(dir, spec);
        return JSON.readTree(Files.readString(dir.resolve("config.json")));
    }

    @Test
    void writesProcessRootAndHostname(@TempDir Path dir) throws Exception {
        JsonNode c = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), false)), dir);
        assertEquals("1.0.2", c.get("ociVersion").asString());
        JsonNode p = c.get("process");
        assertFalse(p.get("terminal").asBoolean());
        assertEquals(JSON.readTree("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[10,20]}"), p.get("user"));
        assertEquals(JSON.readTree("[\"sh\",\"-c\",\"echo hi\"]"), p.get("args"));
        assertEquals("/app", p.get("cwd").asString());
        assertTrue(p.get("noNewPrivileges").asBoolean());
        assertEquals(JSON.readTree("{\"path\":\"rootfs\",\"readonly\":true}"), c.get("root"));
        assertEquals("web", c.get("hostname").asString());
    }

    @Test
    void capsNofileAtTheHostHardLimit(@TempDir Path dir) throws Exception {
        JsonNode c = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), false)), dir);
        assertEquals(JSON.readTree("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}]"),
                c.get("process").get("rlimits"));
    }

    @Test
    void defaultCapabilitiesWithAddAndDrop(@TempDir Path dir) throws Exception {
        JsonNode caps = config(new BundleBuilder(20_000),
                sample(process(List.of("net_admin"), List.of("CAP_MKNOD", "net_raw"), false)), dir)
                .get("process").get("capabilities");
        List<String> bounding = JSON.convertValue(caps.get("bounding"), List.class);
        assertTrue(bounding.contains("CAP_NET_ADMIN"));
        assertTrue(bounding.contains("CAP_CHOWN"));
        assertFalse(bounding.contains("CAP_MKNOD"));
        assertFalse(bounding.contains("CAP_NET_RAW"));
        assertFalse(bounding.contains("CAP_SYS_ADMIN"));
        assertEquals(caps.get("bounding"), caps.get("effective"));
        assertEquals(caps.get("bounding"), caps.get("permitted"));
        assertEquals(List.of("CAP_KILL"), Capabilities.resolve(process(List.of("KILL"), List.of("ALL"), false)));
    }

    @Test
    void namespacesJoinPinnedOnesAndCreateTheRest(@TempDir Path dir) throws Exception {
        JsonNode c = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), false)), dir);
        assertEquals(JSON.readTree("[{\"type\":\"pid\"},"
                + "{\"type\":\"network\",\"path\":\"/run/berth/netns/p/net\"},"
                + "{\"type\":\"ipc\",\"path\":\"/run/berth/netns/p/ipc\"},"
                + "{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}]"), c.get("linux").get("namespaces"));
        assertEquals("/berth/p/web-1", c.get("linux").get("cgroupsPath").asString());
    }

    @Test
    void resourcesAndDockerMaskedPaths(@TempDir Path dir) throws Exception {
        JsonNode linux = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), false)), dir)
                .get("linux");
        assertEquals(JSON.readTree("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
                + "\"memory\":{\"limit\":33554432},\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000},"
                + "\"pids\":{\"limit\":100}}"), linux.get("resources"));
        assertEquals(JSON.valueToTree(BundleBuilder.MASKED_PATHS), linux.get("maskedPaths"));
        assertTrue(JSON.convertValue(linux.get("maskedPaths"), List.class).contains("/proc/kcore"));
        assertEquals(JSON.valueToTree(BundleBuilder.READONLY_PATHS), linux.get("readonlyPaths"));
    }

    @Test
    void standardMountsThenExtraMounts(@TempDir Path dir) throws Exception {
        JsonNode mounts = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), false)), dir)
                .get("mounts");
        List<String> destinations = new java.util.ArrayList<>();
        mounts.forEach(m -> destinations.add(m.get("destination").asString()));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup",
                "/data", "/tmp"), destinations);
        assertEquals(JSON.valueToTree(Map.of("destination", "/data", "type", "bind", "source", "/srv/data",
                "options", List.of("rbind", "ro"))), mounts.get(7));
        assertTrue(mounts.get(5).get("options").toString().contains("\"ro\""));
    }

    @Test
    void privilegedGetsAllCapabilitiesAndNoMaskedPaths(@TempDir Path dir) throws Exception {
        JsonNode c = config(new BundleBuilder(20_000), sample(process(List.of(), List.of(), true)), dir);
        assertEquals(Capabilities.ALL.size(), c.get("process").get("capabilities").get("bounding").size());
        assertFalse(c.get("linux").has("maskedPaths"));
    }

    @Test
    void readsTheHardNofileLimit() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n"
                + "Max open files            1024                 20000                files     \n";
        assertEquals(20_000, HostLimits.nofileHard(limits));
        assertEquals(Long.MAX_VALUE, HostLimits.nofileHard("Max open files            unlimited            unlimited            files\n"));
    }
}
