package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate judges a sysctl by its dotted name, so the slash spelling Kubernetes accepts passes the same checks. */
class SysctlChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String sysctls, String podFields) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  securityContext:
                    sysctls: %s
                  containers: [{name: main, image: "busybox:1.35"}]
                %s""".formatted(sysctls, podFields));
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    @Test
    void aSafeSysctlWithSlashesIsAccepted() throws IOException {
        DesiredState state = load("[{name: kernel/shm_rmid_forced, value: \"1\"}, {name: net/ipv4/ip_local_port_range,"
                + " value: \"1024 65000\"}]", "");
        assertEquals(List.of(), state.warnings());
    }

    @Test
    void slashedNamesMeetTheSameRefusalsAsDottedOnes() {
        String errors = assertThrows(InvalidInputException.class, () -> load("[{name: kernel/panic, value: \"1\"},"
                + " {name: net/ipv4/tcp_syncookies, value: \"1\"}]", "  hostNetwork: true")).getMessage();
        List<String> lines = errors.lines().toList();
        assertEquals(2, lines.size(), errors);
        assertTrue(lines.get(0).startsWith("pod.yaml:6:16: sysctl \"kernel/panic\" is not one of Kubernetes'"
                + " safe, namespaced sysctls"), errors);
        assertTrue(lines.get(1).startsWith("pod.yaml:6:") && lines.get(1).endsWith("sysctl"
                + " \"net/ipv4/tcp_syncookies\" would change the host's own namespace (hostNetwork or hostIPC)"), errors);
    }
}
