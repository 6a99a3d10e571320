package dev.berth.server;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        this.digest = sha256(value);
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
                && MessageDigest.isEqual(digest, sha256(candidate.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of {@code data} keyed with this secret, as GitHub, Gitea and the generic hook sign bodies. */
    public byte[] hmacSha256(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(value, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is this secret's HMAC of {@code data}; constant time in the signature's bytes. */
    public boolean signed(byte[] data, byte[] signature) {
        return signature != null && MessageDigest.isEqual(hmacSha256(data), signature);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
