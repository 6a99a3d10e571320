package dev.berth.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds a parsed tree to fabric8's typed model, as strictly as the API server's strict field validation:
 * a value of the wrong type and a field the kind does not have are both errors at their line.
 */
final class ModelBinder {

    /** Shared: Jackson mappers are thread-safe and costly to build. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ModelBinder() {}

    /** The typed object, or the problems found (pointer-located via {@code locations}). */
    static <T extends HasMetadata> T bind(Object tree, Class<T> model, FieldLocations locations, List<Problem> problems) {
        T typed;
        try {
            typed = MAPPER.convertValue(tree, model);
        } catch (JacksonException e) {
            String pointer = pointer(e.getPath());
            problems.add(new Problem(locations.find(pointer), describeTypeError(pointer, e, tree)));
            return null;
        }
        List<Problem> found = new ArrayList<>();
        findUnknownFieldsAndNulls(typed, "", locations, found);
        problems.addAll(found);
        return found.isEmpty() ? typed : null;
    }

    private static String describeTypeError(String pointer, JacksonException e, Object tree) {
        Object value = Trees.at(tree, pointer);
        String got = value == null ? "null" : Trees.typeName(value);
        String expected = e instanceof tools.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null
                ? expectedName(m.getTargetType()) : "another type";
        return "field \"" + dotted(pointer) + "\": expected " + expected + ", got " + got
                + (value instanceof String s ? " \"" + s + "\"" : "");
    }

    private static String expectedName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        } else if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        } else if (type == String.class) {
            return "string";
        } else if (type == Double.class || type == double.class) {
            return "number";
        } else if (List.class.isAssignableFrom(type)) {
            return "list";
        } else if (Map.class.isAssignableFrom(type)) {
            return "map";
        }
        return "object (" + type.getSimpleName() + ")";
    }

    private static String pointer(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            sb.append('/').append(ref.getPropertyName() != null
                    ? YamlDocuments.escape(ref.getPropertyName()) : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }

    static String dotted(String pointer) {
        return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~");
    }

    /**
     * fabric8 keeps fields it does not know in {@code additionalProperties} rather than failing; walking the typed
     * object for non-empty ones finds every unknown field with its path. The walk also finds null list items and
     * map values ({@code containers: [null]}, {@code labels: {app: }}), which the steps after binding would trip on.
     */
    private static void findUnknownFieldsAndNulls(Object node, String pointer, FieldLocations at, List<Problem> found) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Quantity || node instanceof IntOrString) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String item = pointer + "/" + i;
                if (list.get(i) == null) {
                    found.add(new Problem(at.find(item), "list item \"" + dotted(item) + "\" is empty (null)"));
                }
                findUnknownFieldsAndNulls(list.get(i), item, at, found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            new TreeMap<>(map).forEach((k, v) -> {
                String entry = pointer + "/" + YamlDocuments.escape(String.valueOf(k));
                if (v == null) {
                    found.add(new Problem(at.find(entry),
                            "field \"" + dotted(entry) + "\" is empty (null): write \"\" for an empty value"));
                }
                findUnknownFieldsAndNulls(v, entry, at, found);
            });
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        additionalProperties(node).keySet().stream().map(String::valueOf).sorted().forEach(k -> {
            String field = pointer + "/" + YamlDocuments.escape(k);
            found.add(new Problem(at.find(field), "unknown field \"" + dotted(field) + "\""));
        });
        for (Class<?> c = node.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                JsonProperty json = field.getAnnotation(JsonProperty.class);
                if (json == null || Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String child = pointer + "/" + YamlDocuments.escape(json.value());
                findUnknownFieldsAndNulls(read(field, node), child, at, found);
            }
        }
    }

    private static Map<?, ?> additionalProperties(Object node) {
        try {
            Method getter = node.getClass().getMethod("getAdditionalProperties");
            Object value = getter.invoke(node);
            return value instanceof Map<?, ?> m ? m : Map.of();
        } catch (NoSuchMethodException e) {
            return Map.of();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
