package dev.berth.manifest;

import dev.berth.core.Hashing;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The form in which an object is compared, hashed and recorded on disk: the canonical tree with each Secret value
 * replaced by a {@link SecretDigest}, so that state records and diffs can tell "changed" without ever holding the
 * value.
 */
public final class ComparableForm {

    private static final String HASH_PREFIX = "sha256:";

    private ComparableForm() {}

    /** The form of {@code manifest}, Secret values replaced by their digests under {@code secrets}. */
    public static Map<String, Object> of(Manifest manifest, SecretDigest secrets) {
        return withSecretValues(manifest.key().kind(), manifest.object(), secrets::of);
    }

    /** A recorded form as a planner without the node's key sees it: Secret values masked as its own are. */
    public static Map<String, Object> masked(String kind, Map<String, Object> form) {
        return withSecretValues(kind, form, digest -> SecretDigest.NOT_COMPARED);
    }

    private static Map<String, Object> withSecretValues(String kind, Map<String, Object> object,
                                                        UnaryOperator<String> value) {
        if (!kind.equals(Kind.SECRET.kindName()) || !(object.get("data") instanceof Map<?, ?> data)) {
            return object;
        }
        Map<String, Object> copy = new TreeMap<>(object);
        Map<String, Object> values = new TreeMap<>();
        data.forEach((k, v) -> values.put(String.valueOf(k), value.apply(String.valueOf(v))));
        copy.put("data", values);
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
        return HASH_PREFIX + Hashing.sha256Hex(json.toString());
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
}
