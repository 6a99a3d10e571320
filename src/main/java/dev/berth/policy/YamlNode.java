package dev.berth.policy;

import dev.berth.core.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A composed YAML node with typed accessors that remember where each value was written, so every problem in a
 * policy file can name its line. Accessors throw {@link PolicyFormatException} on a wrong shape.
 */
record YamlNode(Node node, String file, String path) {

    SourceLocation location() {
        return node.getStartMark()
                .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(SourceLocation.of(file));
    }

    boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The value of a mapping key; empty when the key is missing or null. */
    Optional<YamlNode> field(String key) {
        for (NodeTuple tuple : mapping().getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue())) {
                YamlNode value = new YamlNode(tuple.getValueNode(), file, child(key));
                return value.isNull() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    YamlNode required(String key) {
        return field(key).orElseThrow(() -> new PolicyFormatException(location(), child(key) + " is required"));
    }

    String text() {
        if (node instanceof ScalarNode scalar && !isNull()) {
            return scalar.getValue();
        }
        throw new PolicyFormatException(location(), path + " must be a string");
    }

    Optional<String> text(String key) {
        return field(key).map(YamlNode::text);
    }

    List<YamlNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw new PolicyFormatException(location(), path + " must be a list");
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(new YamlNode(item, file, path + "[" + items.size() + "]"));
        }
        return items;
    }

    List<YamlNode> items(String key) {
        return field(key).map(YamlNode::items).orElse(List.of());
    }

    List<String> strings(String key) {
        return items(key).stream().map(YamlNode::text).toList();
    }

    /** A mapping of strings to strings, like matchLabels. */
    Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        field(key).ifPresent(map -> map.mapping().getValue().forEach(tuple -> result.put(
                new YamlNode(tuple.getKeyNode(), file, map.path).text(),
                new YamlNode(tuple.getValueNode(), file, map.path).text())));
        return result;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private MappingNode mapping() {
        if (node instanceof MappingNode map) {
            return map;
        }
        throw new PolicyFormatException(location(), path + " must be a mapping");
    }
}
