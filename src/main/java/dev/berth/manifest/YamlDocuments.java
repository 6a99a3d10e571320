package dev.berth.manifest;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns a YAML file (one or more documents) into JSON-like trees, remembering where every field was written.
 * Works on snakeyaml-engine's node graph rather than its object constructor so that duplicate keys, positions
 * and unsupported tags can each be reported at their line and column.
 */
public final class YamlDocuments {

    /** One document: its tree and the location of each JSON pointer in it. */
    public record Document(Object tree, FieldLocations locations, SourceLocation start) {}

    private YamlDocuments() {}

    public static List<Document> parse(String file, byte[] content) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(Integer.MAX_VALUE)
                .build();
        List<Document> documents = new ArrayList<>();
        try {
            for (Node root : new Compose(settings).composeAllFromString(new String(content, StandardCharsets.UTF_8))) {
                Converter converter = new Converter(file);
                Object tree = converter.convert(root, "");
                if (tree != null) {
                    SourceLocation start = converter.locationOf(root);
                    documents.add(new Document(tree, new FieldLocations(start, converter.locations), start));
                }
            }
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            throw new InvalidInputException(location(file, mark), "invalid YAML: " + problem);
        } catch (YamlEngineException e) {
            throw new InvalidInputException(SourceLocation.of(file), "invalid YAML: " + e.getMessage());
        }
        return documents;
    }

    private static SourceLocation location(String file, Mark mark) {
        return mark == null ? SourceLocation.of(file) : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Converts one document; aliases are expanded, a node reached again through itself is an error. */
    private static final class Converter {
        private final String file;
        private final Map<String, SourceLocation> locations = new LinkedHashMap<>();
        private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String file) {
            this.file = file;
        }

        SourceLocation locationOf(Node node) {
            return location(file, node.getStartMark().orElse(null));
        }

        Object convert(Node node, String pointer) {
            if (!inProgress.add(node)) {
                throw fail(node, "recursive alias");
            }
            try {
                return switch (node.getNodeType()) {
                    case SCALAR -> scalar((ScalarNode) node);
                    case SEQUENCE -> sequence((SequenceNode) node, pointer);
                    case MAPPING -> mapping((MappingNode) node, pointer);
                    default -> throw fail(node, "unsupported YAML node");
                };
            } finally {
                inProgress.remove(node);
            }
        }

        private List<Object> sequence(SequenceNode node, String pointer) {
            List<Object> list = new ArrayList<>();
            for (Node item : node.getValue()) {
                String itemPointer = pointer + "/" + list.size();
                locations.putIfAbsent(itemPointer, locationOf(item));
                list.add(convert(item, itemPointer));
            }
            return list;
        }

        private Map<String, Object> mapping(MappingNode node, String pointer) {
            Map<String, Object> map = new LinkedHashMap<>();
            List<MappingNode> merges = new ArrayList<>();
            for (NodeTuple tuple : node.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (isMergeKey(keyNode)) {
                    merges.addAll(mergeSources(tuple.getValueNode()));
                    continue;
                }
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    throw fail(keyNode, "mapping keys must be plain strings");
                }
                String key = scalarKey.getValue();
                String childPointer = pointer + "/" + escape(key);
                if (map.containsKey(key)) {
                    throw fail(keyNode, "duplicate key \"" + key + "\" (first at line "
                            + locations.get(childPointer).line() + ")");
                }
                locations.put(childPointer, locationOf(keyNode));
                map.put(key, convert(tuple.getValueNode(), childPointer));
            }
            // YAML merge keys ("<<: *base") fill in only what the mapping does not set itself.
            for (MappingNode source : merges) {
                mapping(source, pointer).forEach(map::putIfAbsent);
            }
            return map;
        }

        private static boolean isMergeKey(Node key) {
            return key.getTag().equals(Tag.MERGE)
                    || key instanceof ScalarNode s && s.isPlain() && "<<".equals(s.getValue());
        }

        private List<MappingNode> mergeSources(Node value) {
            if (value instanceof MappingNode m) {
                return List.of(m);
            }
            List<MappingNode> sources = new ArrayList<>();
            if (value instanceof SequenceNode s) {
                for (Node item : s.getValue()) {
                    if (!(item instanceof MappingNode m)) {
                        throw fail(item, "a merge key (<<) takes a mapping or a list of mappings");
                    }
                    sources.add(m);
                }
                return sources;
            }
            throw fail(value, "a merge key (<<) takes a mapping or a list of mappings");
        }

        private Object scalar(ScalarNode node) {
            String text = node.getValue();
            Tag tag = node.getTag();
            try {
                if (tag.equals(Tag.STR)) {
                    return text;
                } else if (tag.equals(Tag.NULL)) {
                    return null;
                } else if (tag.equals(Tag.BOOL)) {
                    return Boolean.valueOf(text.toLowerCase());
                } else if (tag.equals(Tag.INT)) {
                    return parseInt(text);
                } else if (tag.equals(Tag.FLOAT)) {
                    return parseFloat(text);
                }
            } catch (NumberFormatException e) {
                throw fail(node, "number out of range: " + text);
            }
            throw fail(node, "unsupported YAML tag " + tag.getValue());
        }

        /** Integer when it fits: fabric8's IntOrString accepts Integer only; canonical trees widen to Long later. */
        private static Number parseInt(String text) {
            String t = text.replace("_", "");
            long value;
            if (t.startsWith("0o")) {
                value = Long.parseLong(t.substring(2), 8);
            } else if (t.startsWith("0x")) {
                value = Long.parseLong(t.substring(2), 16);
            } else {
                value = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            }
            if (value == (int) value) {
                return Integer.valueOf((int) value); // not a ?: expression, which would box both arms as Long
            }
            return Long.valueOf(value);
        }

        private static Double parseFloat(String text) {
            String t = text.toLowerCase();
            if (t.endsWith(".inf")) {
                return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return t.equals(".nan") ? Double.NaN : Double.valueOf(t);
        }

        private InvalidInputException fail(Node node, String message) {
            return new InvalidInputException(List.of(new Problem(locationOf(node), message)));
        }
    }

    /** JSON pointer escaping (RFC 6901). */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
