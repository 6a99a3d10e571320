package dev.berth.plan;

import dev.berth.manifest.ComparableForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Field-level differences between two trees of one kind, as JSON pointers with old and new values. */
public final class Differ {

    private Differ() {}

    public static List<FieldDiff> diff(String kind, Map<String, Object> before, Map<String, Object> after) {
        List<FieldDiff> out = new ArrayList<>();
        walk(kind, "", before, after, out);
        return out;
    }

    private static void walk(String kind, String path, Object before, Object after, List<FieldDiff> out) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (ComparableForm.sensitive(kind, path) && !(before instanceof Map || after instanceof Map)) {
            out.add(FieldDiff.redacted(path));
        } else if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            TreeSet<String> keys = new TreeSet<>();
            b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String key : keys) {
                walk(kind, path + "/" + escape(key), b.get(key), a.get(key), out);
            }
        } else if (before instanceof List<?> b && after instanceof List<?> a) {
            for (int i = 0; i < Math.max(b.size(), a.size()); i++) {
                walk(kind, path + "/" + i, i < b.size() ? b.get(i) : null, i < a.size() ? a.get(i) : null, out);
            }
        } else if (ComparableForm.sensitive(kind, path)) {
            // a whole data map appeared or went: list each key, never its value
            Map<?, ?> present = before instanceof Map<?, ?> m ? m : (Map<?, ?>) after;
            present.keySet().stream().map(String::valueOf).sorted()
                    .forEach(k -> out.add(FieldDiff.redacted(path + "/" + escape(k))));
        } else {
            out.add(new FieldDiff(path, before, after, false));
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
