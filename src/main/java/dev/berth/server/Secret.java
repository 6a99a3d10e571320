package dev.berth.server;

import dev.berth.core.BerthException;
import dev.berth.core.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A shared secret (webhook secret, API token) read once from a file. Comparisons are constant time, and leak not
 * even the secret's length: both sides are hashed first, so {@link MessageDigest#isEqual} always sees 32 bytes.
 */
public final class Secret {

    private final byte[] value;
    private final byte[] digest;

    private Secret(byte[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("empty secret");
        }
        this.value = value.clone();
        this.digest = Hashing.sha256(value);
    }

    public static Secret of(String value) {
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The file's content without its trailing newline(s): {@code echo s3cret > file} must give "s3cret". */
    public static Secret fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
        String trimmed = text.replaceAll("[\r\n]+$", "");
        if (trimmed.isEmpty()) {
            // an empty HMAC key would let anyone sign; refuse rather than run open
            throw new BerthException("secret file " + file + " is empty");
        }
        return of(trimmed);
    }

    /** Whether {@code candidate} is this secret; false for null. */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(digest, Hashing.sha256(candidate.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of {@code data} keyed with this secret, as GitHub, Gitea and the generic hook sign bodies. */
    public byte[] hmacSha256(byte[] data) {
        return Hashing.hmacSha256(value, data);
    }

    /** Whether {@code signature} is this secret's HMAC of {@code data}; constant time in the signature's bytes. */
    public boolean signed(byte[] data, byte[] signature) {
        return signature != null && MessageDigest.isEqual(hmacSha256(data), signature);
    }


    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
