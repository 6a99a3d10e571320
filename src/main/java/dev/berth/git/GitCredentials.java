package dev.berth.git;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to authenticate to a remote repository. Every field may be null: username/password serve http(s),
 * sshKey/knownHosts serve ssh (knownHosts null means ~/.ssh/known_hosts).
 */
public record GitCredentials(String username, String password, Path sshKey, Path knownHosts) {

    public static GitCredentials none() {
        return new GitCredentials(null, null, null, null);
    }

    /**
     * Reads BERTH_GIT_USERNAME, BERTH_GIT_PASSWORD, BERTH_GIT_PASSWORD_FILE, BERTH_GIT_TOKEN, BERTH_SSH_KEY and
     * BERTH_SSH_KNOWN_HOSTS. The password comes from the first of PASSWORD, PASSWORD_FILE (trimmed), TOKEN that is
     * set; a token alone implies the username "git", which hosting services accept for token logins.
     */
    public static GitCredentials fromEnvironment(Map<String, String> env) {
        String username = value(env, "BERTH_GIT_USERNAME");
        String password = value(env, "BERTH_GIT_PASSWORD");
        if (password == null && value(env, "BERTH_GIT_PASSWORD_FILE") != null) {
            password = readSecret(Path.of(value(env, "BERTH_GIT_PASSWORD_FILE")));
        }
        String token = value(env, "BERTH_GIT_TOKEN");
        if (password == null && token != null) {
            password = token;
            username = username == null ? "git" : username;
        }
        String sshKey = value(env, "BERTH_SSH_KEY");
        String knownHosts = value(env, "BERTH_SSH_KNOWN_HOSTS");
        String home = value(env, "HOME") != null ? value(env, "HOME") : System.getProperty("user.home");
        return new GitCredentials(username, password,
                sshKey == null ? null : Path.of(sshKey),
                knownHosts != null ? Path.of(knownHosts) : Path.of(home, ".ssh", "known_hosts"));
    }

    boolean hasLogin() {
        return username != null || password != null;
    }

    /** The known_hosts file ssh must check host keys against. */
    Path knownHostsOrDefault() {
        return knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** Hides the password so credentials can be logged or shown in errors safely. */
    @Override
    public String toString() {
        return "GitCredentials[username=" + username
                + ", password=" + (password == null ? "<unset>" : "<redacted>")
                + ", sshKey=" + sshKey + ", knownHosts=" + knownHosts + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new BerthException("cannot read BERTH_GIT_PASSWORD_FILE " + file + ": " + e.getMessage(), e);
        }
    }
}
