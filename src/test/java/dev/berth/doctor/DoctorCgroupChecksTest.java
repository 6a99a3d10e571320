package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.CgroupMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup mode and the controllers behind pods' limits, on trees laid out like /sys/fs/cgroup. */
class DoctorCgroupChecksTest {

    @TempDir
    Path root;

    private Check check(CgroupMode mode) {
        return new CgroupChecks(root, mode).run().get(0);
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void v2NeedsCpuMemoryAndPidsAmongItsControllers() throws IOException {
        write("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        Check ok = check(CgroupMode.V2);
        assertEquals(Check.Status.OK, ok.status());
        assertEquals("v2: cpuset, cpu, io, memory, hugetlb, pids, rdma, misc", ok.message());

        write("cgroup.controllers", "cpuset cpu io pids\n");
        Check noMemory = check(CgroupMode.V2);
        assertEquals(Check.Status.ERROR, noMemory.status());
        assertTrue(noMemory.message().contains("without the memory controller"), noMemory.message());
        assertTrue(noMemory.fix().contains("cgroup_enable=memory"), noMemory.fix());
    }

    @Test
    void aHybridHostSaysWhatItsCgroup2MountHolds() throws IOException {
        for (String controller : CgroupChecks.NEEDED) {
            write(controller + "/cgroup.procs", "");
        }
        write("unified/cgroup.controllers", "");
        Check empty = check(CgroupMode.HYBRID);
        assertEquals(Check.Status.OK, empty.status());
        assertEquals("hybrid: cpu, memory, pids on v1; cgroup2 at " + root.resolve("unified")
                + " holds no controller", empty.message());

        write("unified/cgroup.controllers", "hugetlb\n");
        Check hugetlb = check(CgroupMode.HYBRID);
        assertEquals(Check.Status.OK, hugetlb.status(), "berth runs there, on runc: the runtime's line says so");
        assertTrue(hugetlb.message().endsWith("holds hugetlb"), hugetlb.message());
    }

    @Test
    void aV1HostWithoutAHierarchyIsToldHowToMountIt() throws IOException {
        write("cpu/cgroup.procs", "");
        write("memory/cgroup.procs", "");
        Check noPids = check(CgroupMode.V1);
        assertEquals(Check.Status.ERROR, noPids.status());
        assertTrue(noPids.message().startsWith("v1 without a pids hierarchy"), noPids.message());
        assertEquals("mount it, as systemd does at boot: mkdir -p " + root + "/pids && mount -t cgroup -o pids cgroup "
                + root + "/pids", noPids.fix());
    }
}
