package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.JsonFiles;
import dev.berth.testing.GitDaemon;
import dev.berth.testing.Prerequisites;
import dev.berth.testing.Processes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRepo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth doctor} from the built jar on this machine, prepared as {@code .ci/run} prepares it, with a config
 * that names everything doctor reaches out to: a git source (git daemon), a registry mirror, the API's address,
 * token file and TLS pair. Then the same in a private mount namespace where the node lacks something: conmon, or
 * (on this hybrid host) a cgroup2 mount without controllers. Each run's output goes to the test log.
 */
class DoctorIT {

    /** Credentials berth would have for the source: named by doctor, never printed. */
    private static final String GIT_TOKEN = "doctor-it-token-3b1f";

    @TempDir
    static Path dir;
    static GitDaemon daemon;
    static TestRegistry mirror;
    static Path config;

    @BeforeAll
    static void node() throws IOException {
        // surefire's -Dtest='Doctor*' matches this class too: only failsafe runs it, on the jar this build made
        Assumptions.assumeTrue(System.getProperty("berth.jar") != null, "runs under failsafe (mvn verify), which "
                + "names the jar it built in berth.jar");
        Prerequisites.requireRoot();
        Prerequisites.requireBinaries("unshare", "mount", "umount", "crun", "runc", "conmon", "openssl", "git");
        try (TestRepo work = TestRepo.init(dir.resolve("work"))) {
            work.write("deploy/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n").commit("first");
            daemon = GitDaemon.serve(dir.resolve("served"), "node.git");
            daemon.push(work);
        }
        mirror = TestRegistry.start();
        Path token = Files.writeString(dir.resolve("token"), "api-token-never-printed\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Processes.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "365", "-subj", "/CN=127.0.0.1", "-keyout", dir.resolve("tls.key").toString(), "-out",
                dir.resolve("tls.crt").toString());
        Files.setPosixFilePermissions(dir.resolve("tls.key"), PosixFilePermissions.fromString("rw-------"));
        config = Files.writeString(dir.resolve("config.yaml"), """
                source:
                  repo: %s
                  ref: main
                registries:
                  docker.io:
                    mirrors: [%s]
                server:
                  listen: 127.0.0.1:%d
                  tokenFile: %s
                  tls: {cert: %s, key: %s}
                """.formatted(daemon.url(), mirror.url(), freePort(), token, dir.resolve("tls.crt"),
                dir.resolve("tls.key")));
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void thisMachineIsAllGreen() throws Exception {
        Run text = doctor("this machine", List.of());
        assertEquals(0, text.exit(), text::toString);
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.size() >= 20, text::toString);
        lines.forEach(line -> assertTrue(line.startsWith("ok "), "not ok: " + line));
        assertTrue(line(text, "runtime").contains("crun"), "CI's host runs crun: " + line(text, "runtime"));
        assertTrue(line(text, "source").contains(daemon.url() + " answers: main at "), line(text, "source"));
        assertTrue(line(text, "source").contains("a token (BERTH_GIT_TOKEN), not shown"), line(text, "source"));
        assertTrue(line(text, "mirror").contains(mirror.url() + " (a mirror of docker.io) answers 200"),
                line(text, "mirror"));
        assertTrue(line(text, "tls").startsWith("ok     tls") && line(text, "tls").contains("CN=127.0.0.1"),
                line(text, "tls"));
        assertFalse(text.out().contains(GIT_TOKEN) || text.out().contains("api-token-never-printed"), text::toString);

        Run json = doctor("this machine, -o json", List.of(), "-o", "json");
        JsonNode report = JsonFiles.JSON.readTree(json.out());
        assertEquals(0, json.exit(), json::toString);
        assertEquals(0, report.get("exit").asInt());
        assertEquals(lines.size(), report.get("checks").size());
        report.get("checks").forEach(check -> assertEquals("ok", check.get("status").asString(), check::toString));
    }

    @Test
    void withoutConmonItExitsOneNamingConmonAndItsPackage() throws Exception {
        Run run = doctor("a private mount namespace with /usr/bin/conmon hidden",
                List.of("mount --bind /dev/null /usr/bin/conmon"));
        assertEquals(1, run.exit(), run::toString);
        String conmon = line(run, "conmon");
        assertTrue(conmon.startsWith("error  conmon"), conmon);
        assertTrue(conmon.contains("not found at /usr/bin/conmon")
                && conmon.contains("install Debian's package conmon (apt-get install -y conmon)"), conmon);
        assertEquals(List.of(conmon), notOk(run), "conmon is all that is missing");
    }

    /**
     * crun refuses a hybrid host when {@code /sys/fs/cgroup/unified/cgroup.controllers} is not empty: that file is all
     * it reads. The kernel cannot give hugetlb back to cgroup2 in a private namespace (it stays on v1 while the host's
     * mount, or any cgroup under it, exists: unmounting it there leaves the file empty and crun working), so the
     * namespace unmounts hugetlb's v1 hierarchy and shows crun, runc and doctor the file such a host has.
     */
    @Test
    void withHugetlbBoundToCgroup2ItWarnsAndChoosesRunc() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
                && Files.exists(Path.of("/sys/fs/cgroup/hugetlb/cgroup.procs")), "a hybrid cgroup host, hugetlb on v1");
        Path controllers = Files.writeString(dir.resolve("cgroup.controllers"), "hugetlb\n");
        Run run = doctor("a private mount namespace with hugetlb bound to cgroup2",
                List.of("umount /sys/fs/cgroup/hugetlb",
                        "mount --bind " + controllers + " /sys/fs/cgroup/unified/cgroup.controllers"));
        assertEquals(2, run.exit(), run::toString);
        String runtime = line(run, "runtime");
        assertTrue(runtime.startsWith("warn   runtime         runc "), runtime);
        assertTrue(runtime.contains("cgroups in hybrid mode not supported"), runtime);
        assertTrue(runtime.contains("; fix: mount it on cgroup v1 as systemd does: mkdir -p /sys/fs/cgroup/hugetlb"
                + " && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb"), runtime);
        assertTrue(line(run, "cgroups").endsWith("holds hugetlb"), line(run, "cgroups"));
        assertEquals(List.of(runtime), notOk(run), "the runtime's warning is the only one");
    }

    private record Run(int exit, String out) {}

    /**
     * Runs {@code java -jar berth.jar doctor --config CONFIG args}, after {@code setup} in a private mount namespace of
     * its own when there is any (unshare makes its mounts private: the host sees none of them).
     */
    private static Run doctor(String where, List<String> setup, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("berth.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        List<String> command = new ArrayList<>();
        if (!setup.isEmpty()) {
            command.addAll(List.of("unshare", "-m", "sh", "-ec", String.join(" && ", setup) + " && exec \"$@\"",
                    "doctor-namespace"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "doctor", "--config", config.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("doctor-" + System.nanoTime() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("BERTH_GIT_TOKEN", GIT_TOKEN);
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "berth doctor still runs after 2 minutes");
        Run run = new Run(process.exitValue(), Files.readString(out));
        System.out.println("--- berth doctor on " + where + ": exit " + run.exit() + "\n" + run.out());
        return run;
    }

    private static String line(Run run, String name) {
        return run.out().lines().filter(l -> l.matches("\\S+\\s+" + name + "\\s.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " line in:\n" + run.out()));
    }

    private static List<String> notOk(Run run) {
        return run.out().lines().filter(l -> !l.startsWith("ok ")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
