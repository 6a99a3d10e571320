package dev.berth.image;

import java.io.IOException;
import java.io.InputStream;

/** Where a blob's bytes come from; asked for an offset so an interrupted download can be continued. */
@FunctionalInterface
public interface BlobSource {

    /**
     * Opens the blob from {@code offset} on. A source that cannot seek (a server ignoring Range) may start
     * earlier: {@link Opened#offset()} says where the stream really begins.
     */
    Opened open(long offset) throws IOException;

    /** An open stream and the blob offset of its first byte. */
    record Opened(InputStream stream, long offset) {}

    /** A plain stream: always read from the start. */
    static BlobSource of(InputStream stream) {
        return offset -> new Opened(stream, 0);
    }
}
