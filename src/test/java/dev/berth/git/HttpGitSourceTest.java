package dev.berth.git;

import dev.berth.testing.TestRepo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.SourceUnavailableException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smart HTTP with basic authentication, served by {@code git http-backend}. */
class HttpGitSourceTest {

    private static final String PASSWORD = "pa55-very-secret";

    @TempDir
    Path tmp;

    private CgiGitHttpServer server;
    private final GitSource source = new GitSource();
    private RevCommit commit;

    @BeforeEach
    void serve() throws Exception {
        GitCli.requireGit();
        try (TestRepo work = TestRepo.init(tmp.resolve("work"), "main")) {
            commit = work.write("deploy/web.yaml", "replicas: 2\n").commit("first");
            Git.cloneRepository().setURI(work.dir().toUri().toString()).setBare(true)
                    .setDirectory(tmp.resolve("served/repo.git()").toFile()).call().close();
        }
        server = new CgiGitHttpServer(tmp.resolve("served"), "alice", PASSWORD);
    }

    @AfterEach
    void stop() {
        source.close();
        if (server != null) {
            server.close();
        }
    }

    private Snapshot resolve(String password) {
        GitCredentials credentials = new GitCredentials("alice", password, null, null);
        return source.resolve(new SourceSpec(server.url("repo.git()"), null, tmp.resolve("cache"), credentials));
    }

    @Test
    void rightPasswordFetches() {
        Snapshot snapshot = resolve(PASSWORD);

        assertEquals(commit.name(), snapshot.revision().sha());
        assertEquals("refs/heads/main", snapshot.ref());
        assertEquals(List.of("deploy/web.yaml"), snapshot.tree().list(""));
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        String wrong = "wrong-" + PASSWORD;
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve(wrong));

        assertEquals("authentication failed for " + server.url("repo.git()"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertFalse(new GitCredentials("alice", wrong, null, null).toString().contains(wrong));
    }

    @Test
    void missingCredentialsAreAnAuthenticationFailure() {
        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> source.resolve(
                new SourceSpec(server.url("repo.git()"), "main", tmp.resolve("cache"), GitCredentials.none())));

        assertEquals("authentication failed for " + server.url("repo.git()"), e.getMessage());
    }
}
