package dev.berth.doctor;

import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.git.GitCredentials;
import dev.berth.git.SourceProbe;
import dev.berth.git.SourceSpec;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The git source: whether it answers (one ls-remote, nothing fetched) with the credentials berth would use, which are
 * named by where they come from and never shown.
 */
public final class SourceChecks implements CheckGroup {

    private final BerthConfig.Source source;
    private final Map<String, String> environment;
    private final int timeoutSeconds;

    /** @param environment where berth's git credentials come from (BERTH_GIT_*, BERTH_SSH_*) */
    public SourceChecks(BerthConfig.Source source, Map<String, String> environment, int timeoutSeconds) {
        this.source = source;
        this.environment = environment;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String topic() {
        return "source";
    }

    @Override
    public List<Check> run() {
        if (source.repo() == null) {
            return List.of(Check.ok("source", "no source.repo in the config: apply, plan and watch take --repo"));
        }
        String location = SourceProbe.location(source.repo());
        GitCredentials credentials;
        try {
            credentials = GitCredentials.fromEnvironment(environment);
        } catch (BerthException e) { // an unreadable BERTH_GIT_PASSWORD_FILE
            return List.of(Check.error("source", location + ": " + e.getMessage(), "make the file readable by root"));
        }
        if (credentials.sshKey() != null && !Files.isReadable(credentials.sshKey())) {
            return List.of(Check.error("source", location + ": BERTH_SSH_KEY names " + credentials.sshKey()
                    + ", which cannot be read", "correct BERTH_SSH_KEY, or make the key readable by root"));
        }
        String ref = source.ref() == null ? "the default branch" : source.ref();
        try {
            SourceProbe.Answer answer = SourceProbe.probe(new SourceSpec(source.repo(), source.ref(), null,
                    credentials), timeoutSeconds);
            String found = answer.location() + " answers: " + ref + answer.commit().map(c -> " at " + c.substring(0, 12))
                    .orElse(" (a commit id, found at the first fetch)") + "; credentials: " + present(credentials);
            if (answer.passwordInUrl()) {
                return List.of(Check.warn("source", found + ", and a password in source.repo, which anyone who can "
                        + "read the config can read", "drop it from the URL and put it in a file named by "
                        + "BERTH_GIT_PASSWORD_FILE, readable by root only"));
            }
            return List.of(Check.ok("source", found));
        } catch (BerthException e) { // messages are made without the password
            return List.of(Check.error("source", e.getMessage() + "; credentials: " + present(credentials),
                    fix(e.getMessage())));
        }
    }

    /** Which credentials berth has, by where they come from; never their values. */
    private String present(GitCredentials credentials) {
        List<String> found = new ArrayList<>();
        if (set("BERTH_GIT_USERNAME")) {
            found.add("a user name (BERTH_GIT_USERNAME)");
        }
        for (String name : List.of("BERTH_GIT_PASSWORD", "BERTH_GIT_PASSWORD_FILE", "BERTH_GIT_TOKEN")) {
            if (set(name)) {
                found.add((name.endsWith("TOKEN") ? "a token (" : "a password (") + name + ")");
                break; // the first one set is the one used
            }
        }
        if (credentials.sshKey() != null) {
            found.add("an ssh key (BERTH_SSH_KEY)");
        }
        return found.isEmpty() ? "none" : String.join(", ", found) + ", not shown";
    }

    private boolean set(String name) {
        String value = environment.get(name);
        return value != null && !value.isEmpty();
    }

    private static String fix(String message) {
        if (message.contains("authentication failed")) {
            return "give berth the repository's credentials: BERTH_GIT_TOKEN, or BERTH_GIT_USERNAME with "
                    + "BERTH_GIT_PASSWORD_FILE, or BERTH_SSH_KEY for ssh";
        }
        if (message.contains("ssh host key")) {
            return "add the server's host key to the known_hosts file (ssh-keyscan HOST >> FILE, then check it)";
        }
        return "check source.repo and source.ref in the config, and that the server is up and reachable from here";
    }
}
