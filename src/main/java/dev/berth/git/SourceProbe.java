package dev.berth.git;

import dev.berth.core.SourceUnavailableException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether berth can read its source now, as {@code berth doctor} asks: one ls-remote with a short timeout (nothing
 * fetched), or a local repository opened in place. What it says names the repository without its password.
 */
public final class SourceProbe {

    /** A ref that is no branch or tag but may be a commit id, which a remote does not list. */
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,40}");

    /**
     * What the probe found: the repository as shown to users, whether its URL holds a password, and the commit the
     * ref points at (empty: the ref may be a commit id, which only a fetch can find).
     */
    public record Answer(String location, boolean passwordInUrl, Optional<String> commit) {}

    private SourceProbe() {}

    /** @throws SourceUnavailableException unreachable, refused, not a repository, or no such ref */
    public static Answer probe(SourceSpec spec, int timeoutSeconds) {
        RepoAddress address = RepoAddress.parse(spec.repo());
        Optional<String> commit;
        try (GitSource source = new GitSource()) {
            commit = source.peek(spec, timeoutSeconds);
        }
        if (commit.isEmpty() && (spec.ref() == null || !COMMIT_ID.matcher(spec.ref().trim()).matches())) {
            throw new SourceUnavailableException(spec.ref() == null
                    ? address.display() + " has no default branch (is it empty?)"
                    : "no branch or tag \"" + spec.ref().trim() + "\" at " + address.display());
        }
        return new Answer(address.display(), passwordInUrl(address), commit);
    }

    /** The repository as shown to users: a URL without the password it may hold. */
    public static String location(String repo) {
        return RepoAddress.parse(repo).display();
    }

    private static boolean passwordInUrl(RepoAddress address) {
        return address.remote() && !address.display().equals(address.raw());
    }
}
