package dev.berth.manifest;

import dev.berth.core.Problem;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one tree form that desired and actual objects are compared in: keys sorted, integers as Long, quantities
 * spelled canonically, nulls and empty lists dropped (fabric8 makes every list, written or not), and what the
 * server owns (status, uid, ...) left out.
 */
final class CanonicalTree {

    private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "overhead", "capacity");
    private static final Set<String> SERVER_METADATA =
            Set.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink");

    private final FieldLocations locations;
    private final List<Problem> problems;

    CanonicalTree(FieldLocations locations, List<Problem> problems) {
        this.locations = locations;
        this.problems = problems;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> of(HasMetadata typed) {
        Map<String, Object> raw = ModelBinder.MAPPER.convertValue(typed, Map.class);
        raw.remove("status");
        if (raw.get("metadata") instanceof Map<?, ?> metadata) {
            metadata.keySet().removeAll(SERVER_METADATA);
        }
        Object tree = normalise(raw, "", "");
        return tree == null ? Map.of() : (Map<String, Object>) tree;
    }

    private Object normalise(Object node, String pointer, String parentKey) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String childPointer = pointer + "/" + YamlDocuments.escape(key);
                Object value = QUANTITY_MAPS.contains(parentKey) || key.equals("sizeLimit")
                        ? quantity(e.getValue(), childPointer)
                        : normalise(e.getValue(), childPointer, key);
                if (value != null) {
                    sorted.put(key, value);
                }
            }
            // an empty map can mean something ("emptyDir: {}"), so it stays
            return Collections.unmodifiableMap(sorted);
        }
        if (node instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object item = normalise(list.get(i), pointer + "/" + i, parentKey);
                items.add(item);
            }
            return items.isEmpty() ? null : Collections.unmodifiableList(items);
        }
        if (node instanceof Integer || node instanceof Short) {
            return ((Number) node).longValue();
        }
        return node;
    }

    private Object quantity(Object value, String pointer) {
        if (value == null) {
            return null;
        }
        try {
            return Quantity.parse(String.valueOf(value)).canonical();
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(locations.find(pointer), "field \"" + ModelBinder.dotted(pointer) + "\": " + e.getMessage()));
            return value;
        }
    }
}
