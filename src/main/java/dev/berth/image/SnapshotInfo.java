package dev.berth.image;

import dev.berth.core.Digest;
import java.time.Instant;

/**
 * One unpacked layer as the snapshotter records it (snapshots/HEX/metadata.json).
 *
 * @param parent null for a bottom layer
 * @param size   bytes of file content unpacked
 */
public record SnapshotInfo(Digest chainId, Digest parent, Digest diffId, long size, Instant created) {}
