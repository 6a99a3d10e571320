package dev.berth.git;

import java.nio.file.Path;

/**
 * What to read: {@code repo} is a local repository path or a remote URL (file://, http(s)://, git://, ssh://,
 * or scp-like user@host:path); {@code ref} a branch, tag, full ref or (abbreviated) commit id, null for the default
 * branch; remote repositories are mirrored under {@code cacheRoot}. Null {@code credentials} means none.
 */
public record SourceSpec(String repo, String ref, Path cacheRoot, GitCredentials credentials) {

    public SourceSpec {
        credentials = credentials == null ? GitCredentials.none() : credentials;
    }
}
