package dev.berth.git;

import dev.berth.testing.GitDaemon;
import dev.berth.testing.TestRepo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.SourceUnavailableException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git:// through a real {@code git daemon} on 127.0.0.1. */
class GitDaemonTest {

    @TempDir
    Path tmp;

    private GitDaemon daemon;
    private String url;
    private RevCommit commit;

    @BeforeEach
    void serveBareRepository() {
        daemon = GitDaemon.serve(tmp.resolve("served"), "repo.git()");
        try (TestRepo work = TestRepo.init(tmp.resolve("work"), "main")) {
            commit = work.write("manifests/app.yaml", "kind: App\n").commit("first");
            daemon.push(work);
        }
        url = daemon.url();
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void fetchesOverGitProtocol() {
        try (GitSource source = new GitSource()) {
            Snapshot snapshot = source.resolve(new SourceSpec(url, null, tmp.resolve("cache"), null));

            assertEquals(commit.name(), snapshot.revision().sha());
            assertEquals("refs/heads/main", snapshot.ref());
            assertEquals(List.of("manifests/app.yaml"), snapshot.tree().list("manifests"));
            assertEquals("kind: App\n", new String(snapshot.tree().read("manifests/app.yaml")));
        }
    }

    @Test
    void unknownRefNamesTheRef() {
        try (GitSource source = new GitSource()) {
            SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                    () -> source.resolve(new SourceSpec(url, "nope", tmp.resolve("cache"), null)));
            assertEquals("ref 'nope' not found in " + url, e.getMessage());
        }
    }

    @Test
    void missingRepositoryOnTheServer() {
        try (GitSource source = new GitSource()) {
            String missing = url.replace("repo.git()", "other.git");
            SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
                    () -> source.resolve(new SourceSpec(missing, null, tmp.resolve("cache"), null)));
            // git daemon does not tell a missing repository from a hidden one
            assertEquals("cannot fetch " + missing + ": access denied or repository not exported: /other.git",
                    e.getMessage());
        }
    }
}
