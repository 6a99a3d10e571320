package dev.berth.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.config.BerthConfig;
import dev.berth.core.SourceUnavailableException;
import dev.berth.doctor.Check;
import dev.berth.doctor.SourceChecks;
import dev.berth.testing.TestRepo;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth doctor's look at a source over smart HTTP with basic authentication: answers, refusals, nothing secret. */
class DoctorSourceProbeTest {

    private static final String PASSWORD = "pa55-doctor-secret";

    @TempDir
    Path tmp;
    CgiGitHttpServer server;
    String head;

    @BeforeEach
    void serve() throws Exception {
        GitCli.requireGit();
        try (TestRepo work = TestRepo.init(tmp.resolve("work"), "main")) {
            head = work.write("deploy/web.yaml", "replicas: 2\n").commit("first").name();
            Git.cloneRepository().setURI(work.dir().toUri().toString()).setBare(true)
                    .setDirectory(tmp.resolve("served/repo.git").toFile()).call().close();
        }
        server = new CgiGitHttpServer(tmp.resolve("served"), "alice", PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theRightCredentialsFindTheRefsCommitAndNothingIsFetched() {
        SourceProbe.Answer answer = SourceProbe.probe(new SourceSpec(server.url("repo.git"), "main", null,
                new GitCredentials("alice", PASSWORD, null, null)), 5);
        assertEquals(head, answer.commit().orElseThrow());
        assertEquals(server.url("repo.git"), answer.location());
        assertFalse(answer.passwordInUrl());
    }

    @Test
    void aRefusedLoginSaysSoWithoutThePassword() {
        SourceUnavailableException refused = assertThrows(SourceUnavailableException.class, () -> SourceProbe.probe(
                new SourceSpec(server.url("repo.git"), null, null, new GitCredentials("alice", "wrong-" + PASSWORD,
                        null, null)), 5));
        assertEquals("authentication failed for " + server.url("repo.git"), refused.getMessage());
    }

    @Test
    void aPasswordInTheUrlIsFoundAndNotShown() {
        String url = server.url("repo.git").replace("http://", "http://alice:" + PASSWORD + "@");
        SourceProbe.Answer answer = SourceProbe.probe(new SourceSpec(url, "main", null, null), 5);
        assertTrue(answer.passwordInUrl());
        assertEquals(server.url("repo.git").replace("http://", "http://alice@"), answer.location());
        assertEquals(head, answer.commit().orElseThrow());

        Check check = new SourceChecks(new BerthConfig.Source(url, "main", null, null, null, null, false), Map.of(), 5)
                .run().get(0);
        assertEquals(Check.Status.WARN, check.status(), check::toString);
        assertTrue(check.message().startsWith(answer.location() + " answers: main at " + head.substring(0, 12)),
                check.message());
        assertTrue(check.fix().contains("BERTH_GIT_PASSWORD_FILE"), check.fix());
        assertFalse(check.toString().contains(PASSWORD), check::toString);
    }
}
