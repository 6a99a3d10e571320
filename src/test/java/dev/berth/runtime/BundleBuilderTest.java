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
                new SharedNamespaces(Path.of("/run/berth/netns/p/net"), Path.of("/run/berth/netns/p/ipc"), null, false),
                "/berth/p/web-1", Path.of("/var/log/web.log"), 0);
    }

    private static ProcessSpec process(List<String> add, List<String> drop, boolean privileged) {
        return new ProcessSpec(List.of("sh", "-c", "echo hi"), List.of("PATH=/bin"), "/app", 1000, 1000,
                List.of(10, 20), true, add, drop, true, privileged, SeccompProfile.RUNTIME_DEFAULT);
    }

    /**
     * A profile in the format Docker and Podman share: a rule for everyone, one only with CAP_SYS_ADMIN, one only
     * without it, one for another architecture and one for a kernel from the future.
     */
    private static final String PROFILE = """
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
             "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                         {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
             "syscalls": [
               {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "args": [], "includes": {}, "excludes": {}},
               {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
               {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]},
                "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
               {"names": ["s390_pci_mmio_read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}},
               {"names": ["future_call"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}},
               {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
             ]}
            """;

    private static BundleBuilder builder(Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("seccomp.json"), PROFILE);
        return new BundleBuilder(20_000, new SeccompFilters(profile));
    }

    private static JsonNode config(BundleBuilder builder, ContainerSpec spec, @TempDir Path dir) throws Exception {
        builder.write(dir, spec);
        return JSON.readTree(Files.readString(dir.resolve("config.json")));
    }

    @Test
    void writesProcessRootAndHostname(@TempDir Path dir) throws Exception {
        JsonNode c = config(builder(dir), sample(process(List.of(), List.of(), false)), dir);
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
        JsonNode c = config(builder(dir), sample(process(List.of(), List.of(), false)), dir);
        assertEquals(JSON.readTree("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}]"),
                c.get("process").get("rlimits"));
    }

    @Test
    void defaultCapabilitiesWithAddAndDrop(@TempDir Path dir) throws Exception {
        JsonNode caps = config(builder(dir),
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
        JsonNode c = config(builder(dir), sample(process(List.of(), List.of(), false)), dir);
        assertEquals(JSON.readTree("[{\"type\":\"pid\"},"
                + "{\"type\":\"network\",\"path\":\"/run/berth/netns/p/net\"},"
                + "{\"type\":\"ipc\",\"path\":\"/run/berth/netns/p/ipc\"},"
                + "{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}]"), c.get("linux").get("namespaces"));
        assertEquals("/berth/p/web-1", c.get("linux").get("cgroupsPath").asString());
    }

    @Test
    void resourcesAndDockerMaskedPaths(@TempDir Path dir) throws Exception {
        JsonNode linux = config(builder(dir), sample(process(List.of(), List.of(), false)), dir)
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
        JsonNode mounts = config(builder(dir), sample(process(List.of(), List.of(), false)), dir)
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
        JsonNode c = config(builder(dir), sample(process(List.of(), List.of(), true)), dir);
        assertEquals(Capabilities.ALL.size(), c.get("process").get("capabilities").get("bounding").size());
        assertFalse(c.get("linux").has("maskedPaths"));
    }

    @Test
    void runtimeDefaultSeccompKeepsTheRulesTheContainersCapabilitiesAndArchitectureMeet(@TempDir Path dir)
            throws Exception {
        JsonNode seccomp = config(builder(dir), sample(process(List.of(), List.of(), false)), dir)
                .get("linux").get("seccomp");
        assertEquals("SCMP_ACT_ERRNO", seccomp.get("defaultAction").asString());
        assertEquals(38, seccomp.get("defaultErrnoRet").asInt());
        String nativeArch = SeccompFilters.goArch(System.getProperty("os.arch")).equals("arm64")
                ? "[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]" : "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]";
        assertEquals(JSON.readTree(nativeArch), seccomp.get("architectures"));
        assertEquals(JSON.readTree("""
                [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                  "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
                 {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]
                """), seccomp.get("syscalls"));

        JsonNode admin = config(builder(dir), sample(process(List.of("SYS_ADMIN"), List.of(), false)), dir)
                .get("linux").get("seccomp").get("syscalls");
        assertEquals("[\"mount\"]", admin.get(1).get("names").toString(), "mount only with CAP_SYS_ADMIN, clone without");
        assertEquals(3, admin.size());
    }

    @Test
    void unconfinedAndPrivilegedContainersRunWithoutSeccomp(@TempDir Path dir) throws Exception {
        ProcessSpec base = process(List.of(), List.of(), false);
        ProcessSpec unconfined = new ProcessSpec(base.args(), base.env(), base.cwd(), 0, 0, List.of(), true, List.of(),
                List.of(), false, false, SeccompProfile.UNCONFINED);
        assertFalse(config(builder(dir), sample(unconfined), dir).get("linux").has("seccomp"));
        assertFalse(config(builder(dir), sample(process(List.of(), List.of(), true)), dir).get("linux").has("seccomp"));
    }

    @Test
    void aMissingProfileIsAnErrorThatSaysWhatToDo(@TempDir Path dir) {
        BundleBuilder builder = new BundleBuilder(20_000, new SeccompFilters(dir.resolve("absent.json")));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.berth.core.BerthException.class,
                () -> builder.write(dir, sample(process(List.of(), List.of(), false))));
        assertTrue(e.getMessage().contains("golang-github-containers-common") && e.getMessage().contains("Unconfined"),
                e.getMessage());
    }

    @Test
    void theFieldsProfileConvertsWhenInstalled(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(SeccompFilters.FIELD_PROFILE)
                || "true".equals(System.getenv("CI")), "golang-github-containers-common is not installed");
        JsonNode seccomp = config(new BundleBuilder(20_000, new SeccompFilters()),
                sample(process(List.of(), List.of(), false)), dir).get("linux").get("seccomp");
        List<String> allowed = new java.util.ArrayList<>();
        seccomp.get("syscalls").forEach(rule -> {
            if (rule.get("action").asString().equals("SCMP_ACT_ALLOW") && !rule.has("args")) {
                rule.get("names").forEach(n -> allowed.add(n.asString()));
            }
        });
        assertTrue(allowed.contains("openat"), "openat is allowed");
        assertFalse(allowed.contains("open_by_handle_at"),
                "open_by_handle_at (the 'shocker' escape) needs CAP_DAC_READ_SEARCH, which a default container lacks");
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
