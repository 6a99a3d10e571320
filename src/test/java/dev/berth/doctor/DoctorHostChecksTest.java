package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's checks on a tree laid out like /proc and /lib/modules. */
class DoctorHostChecksTest {

    @TempDir
    Path tmp;
    Path proc;
    Path modules;

    @BeforeEach
    void healthyHost() throws IOException {
        proc = tmp.resolve("proc");
        modules = tmp.resolve("modules");
        write("sys/kernel/osrelease", "6.1.0-18-amd64\n");
        write("filesystems", "nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\toverlay\n");
        for (String ns : List.of("pid", "mnt", "net", "ipc", "uts", "user")) {
            write("self/ns/" + ns, "");
        }
        write("sys/user/max_user_namespaces", "15000\n");
    }

    private void write(String path, String content) throws IOException {
        Path file = proc.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Check check(String name, int uid) {
        return new HostChecks(proc, modules, uid).run().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private Check check(String name) {
        return check(name, 0);
    }

    @Test
    void aHealthyHostAsRootIsAllOk() {
        List<Check> checks = new HostChecks(proc, modules, 0).run();
        assertEquals(List.of("root", "kernel", "overlayfs", "namespaces", "user-ns"),
                checks.stream().map(Check::name).toList());
        checks.forEach(c -> assertEquals(Check.Status.OK, c.status(), c::toString));
        assertEquals("Linux 6.1.0-18-amd64", check("kernel").message());
        assertEquals("pid, mount, network, ipc, uts", check("namespaces").message());
        assertTrue(check("user-ns").message().startsWith("enabled (user.max_user_namespaces 15000)"));
    }

    @Test
    void anotherUserIsAnError() {
        Check root = check("root", 1000);
        assertEquals(Check.Status.ERROR, root.status());
        assertTrue(root.message().contains("uid 1000"), root.message());
    }

    @Test
    void aKernelWithoutOpenat2IsAWarning() throws IOException {
        write("sys/kernel/osrelease", "5.4.0-150-generic\n");
        Check kernel = check("kernel");
        assertEquals(Check.Status.WARN, kernel.status());
        assertTrue(kernel.message().contains("subPath") && kernel.message().contains("openat2"), kernel.message());

        write("sys/kernel/osrelease", "5.6.0\n");
        assertEquals(Check.Status.OK, check("kernel").status());
        write("sys/kernel/osrelease", "unknown\n");
        assertEquals(Check.Status.WARN, check("kernel").status());
    }

    @Test
    void overlayfsMayBeAModuleNotYetLoadedButNotAbsent() throws IOException {
        write("filesystems", "nodev\tsysfs\n\text4\n");
        Check absent = check("overlayfs");
        assertEquals(Check.Status.ERROR, absent.status());
        assertTrue(absent.fix().contains("modprobe overlay"), absent.fix());

        Path module = modules.resolve("6.1.0-18-amd64/kernel/fs/overlayfs/overlay.ko.xz");
        Files.createDirectories(module.getParent());
        Files.writeString(module, "");
        Check loadable = check("overlayfs");
        assertEquals(Check.Status.OK, loadable.status());
        assertTrue(loadable.message().contains("loaded by the first mount"), loadable.message());
    }

    @Test
    void aMissingNamespaceIsAnError() throws IOException {
        Files.delete(proc.resolve("self/ns/pid"));
        Files.delete(proc.resolve("self/ns/uts"));
        Check namespaces = check("namespaces");
        assertEquals(Check.Status.ERROR, namespaces.status());
        assertTrue(namespaces.message().contains("no pid, uts namespaces"), namespaces.message());
    }

    @Test
    void userNamespacesOffAreFineAsBerthRunsNone() throws IOException {
        write("sys/user/max_user_namespaces", "0\n");
        Check off = check("user-ns");
        assertEquals(Check.Status.OK, off.status());
        assertTrue(off.message().startsWith("off (user.max_user_namespaces 0)"), off.message());
    }
}
