package dev.berth.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The form in which an object is compared, hashed and recorded on disk: the canonical tree with each Secret value
 * replaced by a digest, so that state records and diffs can tell "changed" without ever holding the value.
 */
public final class ComparableForm {

    private static final String SECRET_VALUE_PREFIX = "sha256:";

    private ComparableForm() {}

    public static Map<String, Object> of(Manifest manifest) {
        if (!manifest.key().kind().equals(Kind.SECRET.kindName())) {
            return manifest.object();
        }
        Map<String, Object> copy = new TreeMap<>(manifest.object());
        if (copy.get("data") instanceof Map<?, ?> data) {
            Map<String, Object> digests = new TreeMap<>();
            data.forEach((k, v) -> digests.put(String.valueOf(k), SECRET_VALUE_PREFIX + sha256(String.valueOf(v))));
            copy.put("data", digests);
        }
        return copy;
    }

    /** Whether a JSON pointer names a value that must never be shown (Secret data). */
    public static boolean sensitive(String kind, String pointer) {
        return kind.equals(Kind.SECRET.kindName()) && (pointer.startsWith("/data/") || pointer.equals("/data"));
    }

    /** A stable content hash of a tree: sha256 of its canonical JSON (sorted keys, no spaces). */
    public static String hash(Map<String, Object> tree) {
        StringBuilder json = new StringBuilder();
        writeJson(tree, json);
        return SECRET_VALUE_PREFIX + sha256(json.toString());
    }

    private static void writeJson(Object node, StringBuilder out) {
        if (node instanceof Map<?, ?> map) {
            out.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                out.append(sep);
                writeString(String.valueOf(e.getKey()), out);
                out.append(':');
                writeJson(e.getValue(), out);
                sep = ",";
            }
            out.append('}');
        } else if (node instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                writeJson(list.get(i), out);
            }
            out.append(']');
        } else if (node instanceof String s) {
            writeString(s, out);
        } else {
            out.append(node);
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
