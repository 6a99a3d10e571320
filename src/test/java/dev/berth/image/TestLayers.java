package dev.berth.image;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.berth.core.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Assumptions;

/** Builds layer tars in memory, as an image builder would, and reads back what only root can write. */
final class TestLayers {

    static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    /** One layer under construction: entries in order, then {@link #build}. */
    static final class Builder {
        private final List<TarArchiveEntry> entries = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        Builder dir(String name, int mode) {
            TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            entry.setMode(mode);
            return add(entry, null);
        }

        Builder file(String name, String content, int mode) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true); // true: keep "/", "..": hostile names as given
            entry.setMode(mode);
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            entry.setSize(bytes.length);
            return add(entry, bytes);
        }

        Builder symlink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            entry.setLinkName(target);
            return add(entry, null);
        }

        Builder hardlink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName(target);
            return add(entry, null);
        }

        /** A character device, block device or FIFO ({@code TarConstants.LF_CHR}, {@code LF_BLK}, {@code LF_FIFO}). */
        Builder special(String name, byte type, int mode) {
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setMode(mode);
            if (type != TarConstants.LF_FIFO) {
                entry.setDevMajor(1); // 1:3 is /dev/null as a char device, a ramdisk as a block device
                entry.setDevMinor(3);
            }
            return add(entry, null);
        }

        /** Sets the owner of the entry most recently added. */
        Builder owner(int uid, int gid) {
            last().setIds(uid, gid);
            return this;
        }

        /** Sets the mode of the entry most recently added (symlinks and hard links carry one too). */
        Builder mode(int mode) {
            last().setMode(mode);
            return this;
        }

        /** The entry most recently added, to set owners, times or PAX headers on. */
        TarArchiveEntry last() {
            return entries.get(entries.size() - 1);
        }

        private Builder add(TarArchiveEntry entry, byte[] content) {
            entries.add(entry);
            contents.add(content);
            return this;
        }

        byte[] tar() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    if (contents.get(i) != null) {
                        tar.write(contents.get(i));
                    }
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        }

        /** The compressed blob in {@code blob} and the layer describing it, diffId computed over the tar. */
        Layer build(String mediaType, ByteArrayOutputStream blob) throws IOException {
            byte[] tar = tar();
            try (OutputStream out = compressor(mediaType, blob)) {
                out.write(tar);
            }
            return new Layer(sha256(blob.toByteArray()), mediaType, blob.size(), sha256(tar));
        }
    }

    private TestLayers() {}

    static Builder layer() {
        return new Builder();
    }

    private static OutputStream compressor(String mediaType, OutputStream out) throws IOException {
        if (mediaType.endsWith("+gzip")) {
            return new GzipCompressorOutputStream(out);
        }
        if (mediaType.endsWith("+zstd")) {
            return new ZstdCompressorOutputStream(out);
        }
        return out;
    }

    static Digest sha256(byte[] bytes) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Skips tests that need root, except on CI, where running without it must fail loudly. */
    static void requireRoot() {
        boolean root = LinuxCalls.isRoot();
        if (!root && "true".equals(System.getenv("CI"))) {
            fail("this test needs root on CI");
        }
        Assumptions.assumeTrue(root, "needs root");
    }

    private interface XattrReader extends Library {
        XattrReader LIBC = Native.load("c", XattrReader.class);

        NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size) throws LastErrorException;
    }

    /** The value of an extended attribute in any namespace, null when absent. */
    static byte[] xattr(Path path, String name) {
        byte[] buffer = new byte[256];
        try {
            int size = XattrReader.LIBC.lgetxattr(path.toString(), name, buffer, new NativeLong(buffer.length)).intValue();
            return Arrays.copyOf(buffer, size);
        } catch (LastErrorException e) {
            return null;
        }
    }
}
