package dev.berth.core;

import java.util.List;
import java.util.Map;

/** fabric8's model leaves unset lists and maps null; these read them as empty. */
public final class Nulls {

    private Nulls() {}

    public static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    public static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
