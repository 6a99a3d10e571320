package dev.berth.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** How a layer blob is compressed: named by its media type, else recognised by its first bytes. */
enum LayerCompression {
    NONE, GZIP, ZSTD;

    /**
     * OCI spells it {@code ...tar+gzip} / {@code ...tar+zstd}, Docker {@code ...tar.gzip}; null when the media type
     * does not say (unknown or missing), so the caller sniffs.
     */
    static LayerCompression fromMediaType(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        if (mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip")) {
            return GZIP;
        }
        if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
            return ZSTD;
        }
        if (mediaType.endsWith(".tar")) {
            return NONE;
        }
        return null;
    }

    /** Reads the magic bytes without consuming them; {@code in} must support mark/reset. */
    static LayerCompression sniff(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** The uncompressed tar stream of a blob with this media type. */
    static InputStream decompress(String mediaType, InputStream blob) throws IOException {
        InputStream in = blob.markSupported() ? blob : new BufferedInputStream(blob, 64 * 1024);
        LayerCompression compression = fromMediaType(mediaType);
        switch (compression == null ? sniff(in) : compression) {
            case GZIP:
                // Concatenated gzip members are legal and some tools write them (e.g. pigz, appended layers).
                return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD:
                return new ZstdCompressorInputStream(in);
            default:
                return in;
        }
    }
}
