package dev.berth.manifest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The API server's rule for the keys of a ConfigMap's data and binaryData and a Secret's data and stringData: each
 * becomes a file name in a volume, so it is one non-empty path part of {@code [-._a-zA-Z0-9]}, at most 253
 * characters, and neither {@code .} nor starting with {@code ..}.
 */
final class ConfigDataKeys {

    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final int MAX_LENGTH = 253;

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    ConfigDataKeys(BiConsumer<String, String> error) {
        this.error = error;
    }

    void check(HasMetadata object) {
        String named = object.getKind() + " \"" + object.getMetadata().getName() + "\"";
        if (object instanceof ConfigMap c) {
            keys(named, "data", c.getData());
            keys(named, "binaryData", c.getBinaryData());
        } else if (object instanceof Secret s) {
            keys(named, "data", s.getData());
            keys(named, "stringData", s.getStringData());
        }
    }

    /** @param named the object as the API server names it in its error: kind and name */
    private void keys(String named, String field, Map<String, String> map) {
        if (map == null) {
            return;
        }
        for (String key : map.keySet()) {
            String problem = problem(key);
            if (problem != null) {
                error.accept("/" + field + "/" + YamlDocuments.escape(key),
                        named + ": invalid key \"" + key + "\" in " + field + ": " + problem);
            }
        }
    }

    /** Why {@code key} is not a valid key, or null. */
    static String problem(String key) {
        if (key.length() > MAX_LENGTH) {
            return "must be no more than " + MAX_LENGTH + " characters";
        }
        if (!KEY.matcher(key).matches()) {
            return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
        }
        if (key.equals(".") || key.startsWith("..")) {
            return "must not be '.' or start with '..'";
        }
        return null;
    }
}
