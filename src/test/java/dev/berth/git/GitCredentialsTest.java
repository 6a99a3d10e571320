package dev.berth.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {

    @TempDir
    Path tmp;

    @Test
    void emptyEnvironmentMeansNoLoginAndDefaultKnownHosts() {
        GitCredentials c = GitCredentials.fromEnvironment(Map.of("HOME", "/home/u"));

        assertNull(c.username());
        assertNull(c.password());
        assertNull(c.sshKey());
        assertEquals(Path.of("/home/u/.ssh/known_hosts"), c.knownHosts());
        assertFalse(c.hasLogin());
    }

    @Test
    void usernameAndPassword() {
        GitCredentials c = GitCredentials.fromEnvironment(Map.of(
                "BERTH_GIT_USERNAME", "alice", "BERTH_GIT_PASSWORD", "s3cret",
                "BERTH_SSH_KEY", "/keys/id", "BERTH_SSH_KNOWN_HOSTS", "/keys/hosts"));

        assertEquals(new GitCredentials("alice", "s3cret", Path.of("/keys/id"), Path.of("/keys/hosts")), c);
    }

    @Test
    void passwordFileIsReadAndTrimmed() throws Exception {
        Path file = Files.writeString(tmp.resolve("pw"), "  from-file\n");

        GitCredentials c = GitCredentials.fromEnvironment(Map.of("BERTH_GIT_PASSWORD_FILE", file.toString()));

        assertEquals("from-file", c.password());
        BerthException e = assertThrows(BerthException.class, () -> GitCredentials.fromEnvironment(
                Map.of("BERTH_GIT_PASSWORD_FILE", tmp.resolve("missing").toString())));
        assertTrue(e.getMessage().contains("BERTH_GIT_PASSWORD_FILE"), e.getMessage());
    }

    @Test
    void tokenIsThePasswordWithUsernameGitByDefault() {
        GitCredentials token = GitCredentials.fromEnvironment(Map.of("BERTH_GIT_TOKEN", "tok"));
        assertEquals("git", token.username());
        assertEquals("tok", token.password());

        GitCredentials named = GitCredentials.fromEnvironment(Map.of("BERTH_GIT_TOKEN", "tok", "BERTH_GIT_USERNAME", "bot"));
        assertEquals("bot", named.username());

        GitCredentials both = GitCredentials.fromEnvironment(Map.of("BERTH_GIT_TOKEN", "tok", "BERTH_GIT_PASSWORD", "pw"));
        assertEquals("pw", both.password());
    }

    @Test
    void toStringNeverShowsThePassword() {
        String text = new GitCredentials("alice", "hunter2-secret", null, null).toString();

        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("alice"), text);
        assertTrue(text.contains("<redacted>"), text);
    }
}
