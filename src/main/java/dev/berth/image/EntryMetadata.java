package dev.berth.image;

import com.sun.jna.LastErrorException;
import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a tar entry's owner, mode, extended attributes and times to what was written for it. */
final class EntryMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(EntryMetadata.class);
    private static final String SCHILY_XATTR = "SCHILY.xattr.";
    private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";

    private final boolean root;

    EntryMetadata(boolean root) {
        this.root = root;
    }

    /**
     * Order matters: chown clears setuid/setgid and file capabilities, so xattrs and mode come after it; times
     * come last. A directory's xattrs were set when it was made ({@link #applyXattrs}).
     *
     * <p>Nothing here may open the file: the JDK's no-follow chmod and its setTimes do, and opening a FIFO waits for a
     * writer forever. So the mode is set by chmod(2), which follows symlinks but is never given one (a symlink has no
     * mode of its own, and every other entry was just created as what it is), and the times by utimensat(2).
     */
    void apply(Path path, TarArchiveEntry entry) throws IOException {
        if (root) {
            Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        }
        if (!entry.isDirectory()) {
            applyXattrs(path, entry);
        }
        if (!entry.isSymbolicLink()) {
            Files.setAttribute(path, "unix:mode", entry.getMode() & 07777);
        }
        try {
            LinuxCalls.setTimesNoFollow(path, entry.getLastModifiedTime().toInstant());
        } catch (LastErrorException e) {
            throw new IOException("cannot set the times of " + path + ": errno " + e.getErrorCode(), e);
        }
    }

    /** For directories, right after creation: their owner and mode come only once their content is written. */
    void applyXattrs(Path path, TarArchiveEntry entry) {
        for (Map.Entry<String, byte[]> xattr : xattrs(entry).entrySet()) {
            setXattr(path, xattr.getKey(), xattr.getValue());
        }
    }

    /**
     * A refused xattr is logged, not fatal: tmpfs or a rootless run cannot store {@code trusted.*} or
     * {@code security.*}. Losing {@code security.capability} changes what a binary may do, hence the warning.
     */
    private static void setXattr(Path path, String name, byte[] value) {
        try {
            LinuxCalls.lsetxattr(path, name, value);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno != LinuxCalls.ENOTSUP && errno != LinuxCalls.EPERM && errno != LinuxCalls.EACCES) {
                throw new BerthException("cannot set xattr " + name + " on " + path + ": errno " + errno, e);
            }
            if (name.startsWith("security.")) {
                LOG.warn("xattr {} on {} not kept: errno {}", name, path, errno);
            } else {
                LOG.debug("xattr {} on {} not kept: errno {}", name, path, errno);
            }
        }
    }

    /**
     * Go's archive/tar (Docker, buildkit) writes {@code SCHILY.xattr.NAME} with the raw value; bsdtar writes
     * {@code LIBARCHIVE.xattr.NAME} base64-encoded. commons-compress decodes PAX values as UTF-8, so a binary SCHILY
     * value that is not valid UTF-8 is already lost when it reaches us: skipped with a warning, never set garbled.
     */
    static Map<String, byte[]> xattrs(TarArchiveEntry entry) {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        entry.getExtraPaxHeaders().forEach((key, value) -> {
            if (key.startsWith(SCHILY_XATTR)) {
                if (value.indexOf('\uFFFD') >= 0) {
                    LOG.warn("xattr {} of {} is not valid UTF-8 and cannot be read back; skipped",
                            key.substring(SCHILY_XATTR.length()), entry.getName());
                } else {
                    xattrs.putIfAbsent(key.substring(SCHILY_XATTR.length()), value.getBytes(StandardCharsets.UTF_8));
                }
            } else if (key.startsWith(LIBARCHIVE_XATTR)) {
                String name = URLDecoder.decode(key.substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8);
                xattrs.put(name, Base64.getDecoder().decode(value));
            }
        });
        return xattrs;
    }
}
