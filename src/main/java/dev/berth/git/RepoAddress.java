package dev.berth.git;

import dev.berth.core.Hashing;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A repository location as the user wrote it, classified as a local path or a remote URL. */
record RepoAddress(String raw, boolean remote) {

    private static final Pattern URL = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://([^/]*)(.*)");
    // Like git: a colon before the first slash means scp-like ssh syntax ("git@host:org/repo.git").
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^/@:]+@)?([^/:]+):(.*)");
    private static final Pattern USER_INFO = Pattern.compile("^[^@]*@");

    static RepoAddress parse(String repo) {
        if (repo == null || repo.isBlank()) {
            throw new IllegalArgumentException("repository location is empty");
        }
        String trimmed = repo.trim();
        return new RepoAddress(trimmed, URL.matcher(trimmed).matches() || SCP_LIKE.matcher(trimmed).matches());
    }

    Path localPath() {
        return Path.of(raw).toAbsolutePath().normalize();
    }

    /** The location as shown to users: a URL loses any password embedded in it. */
    String display() {
        if (!remote) {
            return localPath().toString();
        }
        Matcher m = URL.matcher(raw);
        if (m.matches() && m.group(2).contains("@")) {
            String userInfo = m.group(2).substring(0, m.group(2).lastIndexOf('@'));
            String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
            return m.group(1) + "://" + user + "@" + m.group(2).substring(m.group(2).lastIndexOf('@') + 1) + m.group(3);
        }
        return raw;
    }

    /**
     * Cache directory name: the first 16 hex digits of the SHA-256 of the normalised URL, so that spellings of one
     * repository (case of host, user name, trailing ".git" or "/") share a cache.
     */
    String cacheName() {
        return Hashing.sha256Hex(normalised()).substring(0, 16);
    }

    String normalised() {
        Matcher url = URL.matcher(raw);
        String scheme;
        String host;
        String path;
        if (url.matches()) {
            scheme = url.group(1).toLowerCase(Locale.ROOT);
            host = USER_INFO.matcher(url.group(2)).replaceFirst("").toLowerCase(Locale.ROOT);
            path = url.group(3);
        } else {
            Matcher scp = SCP_LIKE.matcher(raw);
            if (!scp.matches()) {
                throw new IllegalStateException("not a URL: " + raw);
            }
            scheme = "scp";
            host = scp.group(1).toLowerCase(Locale.ROOT);
            path = scp.group(2);
        }
        path = path.replaceAll("/+$", "");
        path = path.endsWith(".git") ? path.substring(0, path.length() - 4) : path;
        return scheme + "://" + host + "/" + path.replaceAll("^/+", "");
    }
}
