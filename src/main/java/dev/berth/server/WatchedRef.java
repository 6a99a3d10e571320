package dev.berth.server;

/**
 * Which pushes concern the ref berth follows. The ref is written as for {@code berth watch --ref}: a branch or tag
 * name, a full ref, or null (or HEAD) for the remote's default branch. A short name matches a branch or a tag of that
 * name, as git would resolve either. A pinned commit id matches no push (no push moves it).
 */
public final class WatchedRef {

    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

    /** Whether a push triggers a fetch, and why (or why not) in words. */
    public record Decision(boolean trigger, String message) {
    }

    private final String ref;

    private WatchedRef(String ref) {
        this.ref = ref;
    }

    public static WatchedRef of(String ref) {
        String trimmed = ref == null ? "" : ref.trim();
        return new WatchedRef(trimmed.isEmpty() || trimmed.equals("HEAD") ? null : trimmed);
    }

    /**
     * The decision for a push of {@code pushedRef} (a full ref); {@code defaultBranch} is the repository's default
     * branch as the payload names it, null when the payload does not say.
     */
    public Decision decide(String pushedRef, String defaultBranch) {
        if (pushedRef.startsWith(HEADS)) {
            String branch = pushedRef.substring(HEADS.length());
            if (ref == null) {
                return followDefault(branch, defaultBranch);
            }
            return matches(pushedRef, branch) ? fire(pushedRef) : ignore("branch " + branch);
        }
        if (pushedRef.startsWith(TAGS)) {
            String tag = pushedRef.substring(TAGS.length());
            return ref != null && matches(pushedRef, tag) ? fire(pushedRef) : ignore("tag " + tag);
        }
        return ref != null && ref.equals(pushedRef) ? fire(pushedRef) : ignore("ref " + pushedRef);
    }

    private boolean matches(String fullRef, String shortName) {
        return ref.equals(fullRef) || ref.equals(shortName);
    }

    private static Decision followDefault(String branch, String defaultBranch) {
        if (defaultBranch == null || defaultBranch.isBlank()) {
            // not knowing the default branch, a needless fetch (one ls-remote) beats a missed update
            return new Decision(true, "push to " + HEADS + branch
                    + " (the payload does not name the default branch: fetching in case it is)");
        }
        return branch.equals(defaultBranch)
                ? fire(HEADS + branch)
                : ignore("branch " + branch + " (the default branch is " + defaultBranch + ")");
    }

    private static Decision fire(String pushedRef) {
        return new Decision(true, "push to " + pushedRef);
    }

    private static Decision ignore(String what) {
        return new Decision(false, "ignored: " + what);
    }

    @Override
    public String toString() {
        return ref == null ? "the default branch" : ref;
    }
}
