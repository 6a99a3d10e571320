package dev.berth.core;

import java.util.regex.Pattern;

/** A content digest as OCI writes it, {@code sha256:<64 hex>}; the identity of every blob berth stores. */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (!"sha256".equals(algorithm) || hex == null || !SHA256.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; {@link IllegalArgumentException} naming the text otherwise. */
    public static Digest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a digest: " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] hash) {
        return new Digest("sha256", java.util.HexFormat.of().formatHex(hash));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
