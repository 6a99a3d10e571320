package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.testing.CliRun;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pod's securityContext and host namespaces on real runc: defaults as Docker's, each field honoured. */
class PodSecurityIT {

    @RegisterExtension
    static final PodRunner runner = PodRunner.withImages(registry -> registry.push(TestImages.namedUser(), "library/app:1"));

    @BeforeAll
    static void requireTheSeccompProfile() {
        Prerequisites.require(Files.exists(Path.of("/usr/share/containers/seccomp.json")),
                "the field's seccomp profile (apt-get install golang-github-containers-common)");
    }

    private static String pod(String name, String podFields, String containerFields, String script) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  %s
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "%s"]
                      %s
                """.formatted(name, podFields, script, containerFields);
    }

    @Test
    void seccompIsTheRuntimeDefaultUnlessUnconfined() throws IOException {
        String script = "grep ^Seccomp: /proc/self/status";
        CliRun confined = runner.run(pod("confined", "", "", script));
        assertEquals(0, confined.exitCode(), confined::toString);
        assertEquals("Seccomp:\t2", confined.out().strip(), "filtered by default");

        CliRun unconfined = runner.run(pod("unconfined", "", "securityContext: {seccompProfile: {type: Unconfined}}",
                script));
        assertEquals(0, unconfined.exitCode(), unconfined::toString);
        assertEquals("Seccomp:\t0", unconfined.out().strip());
    }

    @Test
    void aLocalhostProfileIsLoadedFromTheNodesDirectory() throws IOException {
        Path profiles = Files.createDirectories(runner.dir().resolve("state/seccomp"));
        // the field's profile, less mkdir: the container's mkdir fails with the profile's errno
        String field = Files.readString(Path.of("/usr/share/containers/seccomp.json"));
        Files.writeString(profiles.resolve("no-mkdir.json"), field.replace("\"mkdir\",", "").replace("\"mkdirat\",", ""));
        CliRun run = runner.run(pod("local", "",
                "securityContext: {seccompProfile: {type: Localhost, localhostProfile: no-mkdir.json}}",
                "mkdir /tmp/x || echo refused"));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("refused", run.out().strip(), run::toString);
    }

    @Test
    void runAsNonRootRefusesARootImageAndAcceptsAUser() throws IOException {
        CliRun refused = runner.run(pod("root", "securityContext: {runAsNonRoot: true}", "", "id -u"));
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("CreateContainerConfigError: container main: it has runAsNonRoot and its"
                + " image will run as root"), refused::toString);

        CliRun user = runner.run(pod("user", "securityContext: {runAsNonRoot: true, runAsUser: 1234}", "", "id -u"));
        assertEquals(0, user.exitCode(), user::toString);
        assertEquals("1234", user.out().strip());
    }

    /**
     * An image whose USER is a name runs as that user with its groups; the pod's fsGroup and supplementalGroups are
     * added, and the volumes are usable by that user: an emptyDir to write, a secret to read.
     */
    @Test
    void anImageUserByNameRunsWithItsGroupsAndFsGroupOwnsTheVolumes() throws IOException {
        CliRun run = runner.run("""
                apiVersion: v1
                kind: Secret
                metadata: {name: token}
                stringData: {value: s3cret}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: named}
                spec:
                  securityContext: {runAsNonRoot: true, fsGroup: 2000, supplementalGroups: [3000]}
                  containers:
                    - name: main
                      image: app:1
                      command: [sh, -c, "id; echo hi > /scratch/file && stat -c '%g %a' /scratch /scratch/file; cat /secret/value"]
                      volumeMounts:
                        - {name: scratch, mountPath: /scratch}
                        - {name: secret, mountPath: /secret}
                  volumes:
                    - {name: scratch, emptyDir: {}}
                    - {name: secret, secret: {secretName: token, defaultMode: 0400}}
                """);
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        // busybox's id lists the supplementary groups only, sorted as the kernel keeps them
        assertEquals("uid=1000 gid=1000 groups=29,2000,3000", lines.get(0).replaceAll("\\([a-z]+\\)", ""),
                run::toString);
        assertEquals(List.of("2000 2777", "2000 644", "s3cret"), lines.subList(1, 4), run::toString);
    }

    /** hostNetwork, hostPID and hostIPC join the host's namespaces; the host keeps its hostname. */
    @Test
    void hostNamespacesAreTheHostsOwn() throws IOException {
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        CliRun run = runner.run(pod("host", "hostNetwork: true\n  hostPID: true\n  hostIPC: true", "",
                "for ns in net pid ipc; do readlink /proc/self/ns/$ns; done; hostname"));
        assertEquals(0, run.exitCode(), run::toString);
        List<String> expected = List.of(link("net"), link("pid"), link("ipc"), hostname);
        assertEquals(expected, run.out().lines().toList());
        assertEquals(hostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());

        CliRun own = runner.run(pod("own", "", "", "readlink /proc/self/ns/net; hostname"));
        assertEquals(0, own.exitCode(), own::toString);
        assertTrue(!own.out().lines().toList().get(0).equals(link("net")), own::toString);
        assertEquals("own", own.out().lines().toList().get(1));
    }

    /** A namespaced sysctl is set in the pod's own namespace; the host's value stays. */
    @Test
    void aSafeSysctlIsSetInThePodsNamespaceOnly() throws IOException {
        Path file = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");
        String host = Files.readString(file).strip();
        String wanted = host.equals("80") ? "81" : "80";
        CliRun run = runner.run(pod("sysctl",
                "securityContext: {sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: \"" + wanted + "\"}]}",
                "", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start"));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(wanted, run.out().strip());
        assertEquals(host, Files.readString(file).strip());
    }

    private static String link(String kind) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + kind)).toString();
    }
}
