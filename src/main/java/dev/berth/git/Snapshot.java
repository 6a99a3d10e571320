package dev.berth.git;

import dev.berth.core.Revision;
import dev.berth.core.TreeReader;

/** One resolved commit: its id, the ref it was found through (e.g. "refs/heads/main") and its file tree. */
public record Snapshot(Revision revision, String ref, TreeReader tree) {
}
