package dev.berth.manifest;

import dev.berth.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How a Secret's values appear in comparable forms: as HMAC-SHA256 digests under a key of the node's, which tell
 * "changed" without revealing a value. A plain SHA-256 would not do: the digest of a short password is found by
 * trying candidates, and records reach {@code /api/v1/objects}. Without the node's key, values cannot be compared
 * at all, so they are masked alike on both sides of a plan.
 */
public final class SecretDigest {

    private static final String PREFIX = "hmac-sha256:";
    static final String NOT_COMPARED = "(not compared: digests are keyed to the node)";
    private static final int KEY_BYTES = 32;

    private final byte[] key; // null when values are not compared

    private SecretDigest(byte[] key) {
        this.key = key;
    }

    /** Digests under {@code key}, a node's key of at least 32 bytes. */
    public static SecretDigest keyed(byte[] key) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("a secret digest key has at least " + KEY_BYTES + " bytes, got " + key.length);
        }
        return new SecretDigest(key.clone());
    }

    /** Digests under a key of this process's, for comparisons that are never stored (plan against a ref). */
    public static SecretDigest ephemeral() {
        return new SecretDigest(newKey());
    }

    /** For a planner without the node's key: every value reads the same, so Secret values never differ. */
    public static SecretDigest notCompared() {
        return new SecretDigest(null);
    }

    /** A new random key, as a node makes once and keeps. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    public boolean comparesValues() {
        return key != null;
    }

    String of(String value) {
        if (key == null) {
            return NOT_COMPARED;
        }
        return PREFIX + HexFormat.of().formatHex(Hashing.hmacSha256(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
