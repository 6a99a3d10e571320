package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.config.BerthConfig;
import dev.berth.testing.GitDaemon;
import dev.berth.testing.TestRepo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git source, served by a real git daemon on 127.0.0.1 or read in place; credentials named, never shown. */
class DoctorSourceChecksTest {

    private static final String TOKEN = "tok-3f9a-never-printed";

    @TempDir
    Path tmp;
    TestRepo work;
    GitDaemon daemon;
    String head;

    @BeforeEach
    void serve() {
        work = TestRepo.init(tmp.resolve("work"));
        head = work.write("deploy/web.yaml", "kind: Pod\n").commit("first").name();
        daemon = GitDaemon.serve(tmp.resolve("served"), "node.git");
        daemon.push(work);
    }

    @AfterEach
    void stop() {
        daemon.close();
        work.close();
    }

    private static Check check(String repo, String ref, Map<String, String> env) {
        BerthConfig.Source source = new BerthConfig.Source(repo, ref, null, null, null, null, false);
        return new SourceChecks(source, env, 5).run().get(0);
    }

    @Test
    void aReachableSourceSaysItsCommitAndWhichCredentialsItHasButNotThem() {
        Check check = check(daemon.url(), "main", Map.of("BERTH_GIT_TOKEN", TOKEN));
        assertEquals(Check.Status.OK, check.status(), check::toString);
        assertEquals(daemon.url() + " answers: main at " + head.substring(0, 12)
                + "; credentials: a token (BERTH_GIT_TOKEN), not shown", check.message());
        assertFalse(check.toString().contains(TOKEN));

        Check local = check(work.dir().toString(), null, Map.of());
        assertEquals(Check.Status.OK, local.status(), local::toString);
        assertTrue(local.message().endsWith("the default branch at " + head.substring(0, 12) + "; credentials: none"),
                local.message());
    }

    @Test
    void noSourceInTheConfigIsFine() {
        Check check = check(null, null, Map.of());
        assertEquals(Check.Status.OK, check.status());
    }

    @Test
    void anUnreachableSourceOrAMissingRefIsAnError() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Check unreachable = check("git://127.0.0.1:" + closed + "/node.git", null, Map.of());
        assertEquals(Check.Status.ERROR, unreachable.status());
        assertTrue(unreachable.message().startsWith("cannot fetch git://127.0.0.1:" + closed + "/node.git: Connection "
                + "refused"), unreachable.message());
        assertTrue(unreachable.fix().contains("source.repo"), unreachable.fix());

        Check noRef = check(daemon.url(), "release", Map.of());
        assertEquals(Check.Status.ERROR, noRef.status());
        assertEquals("no branch or tag \"release\" at " + daemon.url() + "; credentials: none", noRef.message());

        Check commitId = check(daemon.url(), head.substring(0, 10), Map.of());
        assertEquals(Check.Status.OK, commitId.status(), "a commit id is found at the first fetch");
    }

    @Test
    void aPasswordInTheUrlIsNeverShown() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Check check = check("http://deploy:hunter2@127.0.0.1:" + closed + "/node.git", "main",
                Map.of("BERTH_GIT_PASSWORD", "s3cret-pw"));
        assertEquals(Check.Status.ERROR, check.status(), check::toString);
        assertTrue(check.message().contains("http://deploy@127.0.0.1:" + closed + "/node.git"), check.message());
        assertTrue(check.message().endsWith("; credentials: a password (BERTH_GIT_PASSWORD), not shown"),
                check.message());
        assertFalse(check.toString().contains("hunter2") || check.toString().contains("s3cret-pw"), check::toString);
    }
}
