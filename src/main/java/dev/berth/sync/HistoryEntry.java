package dev.berth.sync;

import java.time.Instant;

/**
 * One apply, as {@code berth history} lists it.
 *
 * @param result   Synced, Failed, Denied or Invalid
 * @param changes  actions the plan had
 * @param rollback true for {@code berth rollback}
 */
public record HistoryEntry(Instant at, String revision, String ref, String result, String message, int changes,
                           boolean rollback) {}
