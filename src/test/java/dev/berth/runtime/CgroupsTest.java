package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {

    private static final String HYBRID = """
            22 29 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            25 22 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw
            30 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
            """;
    private static final String V1 = """
            25 22 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            30 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
            """;
    private static final String V2 = """
            25 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """;

    @Test
    void detectsModeFromMountinfo() {
        assertEquals(CgroupMode.HYBRID, CgroupMode.detect(MountTable.parse(HYBRID)));
        assertEquals(CgroupMode.V1, CgroupMode.detect(MountTable.parse(V1)));
        assertEquals(CgroupMode.V2, CgroupMode.detect(MountTable.parse(V2)));
    }

    @Test
    void mountinfoUnescapesMountPoints() {
        String line = "40 25 0:30 / /run/berth/bundles/a\\040b/rootfs rw - overlay overlay rw,lowerdir=/l\n";
        MountTable.Entry entry = MountTable.parse(line).get(0);
        assertEquals(Path.of("/run/berth/bundles/a b/rootfs"), entry.mountPoint());
        assertEquals("overlay", entry.fsType());
    }

    @Test
    void readsOomKillsFromV1AndV2Files(@TempDir Path root) throws Exception {
        Path v1 = Files.createDirectories(root.resolve("memory/berth/c1"));
        Files.writeString(v1.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        Files.writeString(v1.resolve("memory.usage_in_bytes"), "4096\n");
        Cgroups cgroups = new Cgroups(root, CgroupMode.HYBRID);
        assertTrue(cgroups.oomKilled("/berth/c1"));
        assertEquals(4096, cgroups.memoryUsage("/berth/c1"));
        assertFalse(cgroups.oomKilled("/berth/other"));
        assertEquals(-1, cgroups.memoryUsage("/berth/other"));

        Path v2 = Files.createDirectories(root.resolve("berth/c2"));
        Files.writeString(v2.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n");
        assertFalse(new Cgroups(root, CgroupMode.V2).oomKilled("berth/c2"));
    }

    @Test
    void removesOnlyEmptyCgroups(@TempDir Path root) throws Exception {
        Path busy = Files.createDirectories(root.resolve("memory/berth/c1"));
        Files.writeString(busy.resolve("cgroup.procs"), "1234\n");
        Cgroups cgroups = new Cgroups(root, CgroupMode.V1);
        assertFalse(cgroups.remove("/berth/c1"));
        assertTrue(cgroups.exists("/berth/c1"));

        Files.delete(busy.resolve("cgroup.procs")); // a real cgroupfs directory looks empty to rmdir
        assertTrue(cgroups.remove("/berth/c1"));
        assertFalse(cgroups.exists("/berth/c1"));
    }
}
