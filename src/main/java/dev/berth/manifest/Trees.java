package dev.berth.manifest;

import java.util.List;
import java.util.Map;

/** Small helpers for JSON-like trees (Map, List, String, Long, Double, Boolean, null). */
public final class Trees {

    private Trees() {}

    /** The value at a JSON pointer, or null when any step is missing. */
    public static Object at(Object tree, String pointer) {
        Object node = tree;
        if (pointer.isEmpty()) {
            return node;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String step = raw.replace("~1", "/").replace("~0", "~");
            if (node instanceof Map<?, ?> map) {
                node = map.get(step);
            } else if (node instanceof List<?> list && step.matches("\\d+") && Integer.parseInt(step) < list.size()) {
                node = list.get(Integer.parseInt(step));
            } else {
                return null;
            }
        }
        return node;
    }

    /**
     * A copy with each Long that fits an int as Integer: canonical trees widen integers to Long, but fabric8's
     * IntOrString only takes an Integer.
     */
    static Object narrowIntegers(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, narrowIntegers(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(Trees::narrowIntegers).toList();
        }
        if (node instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        return node;
    }

    /** The YAML-ish name of a value's type, for messages. */
    public static String typeName(Object value) {
        if (value instanceof String) {
            return "string";
        } else if (value instanceof Long || value instanceof Integer) {
            return "integer";
        } else if (value instanceof Number) {
            return "number";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof List) {
            return "list";
        } else if (value instanceof Map) {
            return "map";
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
