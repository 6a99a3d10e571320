package dev.berth.git;

import dev.berth.testing.TestRepo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.SourceUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssh:// with a client key and strict known_hosts checking, against an in-process Apache MINA server. */
class SshGitSourceTest {

    @TempDir
    Path tmp;

    private InProcessSshGitServer server;
    private final GitSource source = new GitSource();
    private RevCommit commit;
    private Path clientKey;
    private Path knownHosts;

    @BeforeEach
    void serve() throws Exception {
        try (TestRepo work = TestRepo.init(tmp.resolve("work"), "main")) {
            commit = work.write("svc.yaml", "port: 80\n").commit("first");
            Git.cloneRepository().setURI(work.dir().toUri().toString()).setBare(true)
                    .setDirectory(tmp.resolve("served/repo.git()").toFile()).call().close();
        }
        KeyPair client = InProcessSshGitServer.newKeyPair();
        clientKey = InProcessSshGitServer.writePrivateKey(client, tmp.resolve("id_ecdsa"));
        server = new InProcessSshGitServer(tmp.resolve("served"), client.getPublic());
        knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine());
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
        server.close();
    }

    private Snapshot resolve(Path key, Path hosts) {
        GitCredentials credentials = new GitCredentials(null, null, key, hosts);
        return source.resolve(new SourceSpec(server.url("repo.git()"), null, tmp.resolve("cache"), credentials));
    }

    @Test
    void fetchesWithTheConfiguredKeyFromAKnownHost() {
        Snapshot snapshot = resolve(clientKey, knownHosts);

        assertEquals(commit.name(), snapshot.revision().sha());
        assertEquals(List.of("svc.yaml"), snapshot.tree().list(""));
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");

        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve(clientKey, empty));

        String host = server.knownHostsLine().split(" ")[0]; // "[127.0.0.1]:port", as known_hosts spells it
        assertEquals("ssh host key of " + host + " is not in " + empty
                + " (or does not match it)", e.getMessage());
    }

    @Test
    void unknownClientKeyIsAnAuthenticationFailure() throws Exception {
        Path otherKey = InProcessSshGitServer.writePrivateKey(InProcessSshGitServer.newKeyPair(), tmp.resolve("other"));

        SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> resolve(otherKey, knownHosts));

        assertEquals("authentication failed for " + server.url("repo.git()"), e.getMessage());
    }
}
