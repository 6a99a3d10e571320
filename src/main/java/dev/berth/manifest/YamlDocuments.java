package dev.berth.manifest;

import dev.berth.core.InvalidInputException;
import dev.berth.core.Problem;
import dev.berth.core.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Turns a YAML file (one or more documents) into JSON-like trees, remembering where every field was written.
 * Works on snakeyaml-engine's node graph rather than its object constructor so that duplicate keys, positions
 * and unsupported tags can each be reported at their line and column.
 */
public final class YamlDocuments {

    /** One document: its tree and the location of each JSON pointer in it. */
    public record Document(Object tree, FieldLocations locations, SourceLocation start) {}

    /** Larger files are refused unread; it also caps the engine's count of code points (3 MiB by default). */
    private static final int MAX_FILE_BYTES = 8 << 20;
    /**
     * Kubernetes field paths stay under about 370 characters (an annotation key, at most 317, under a CronJob's
     * pod template); a longer one is a hostile or broken key, such as a megabyte key written with "? ".
     */
    private static final int MAX_POINTER_LENGTH = 512;
    /** The engine's own bound on aliases to mappings and lists in one document (its default, said here). */
    private static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

    /** Plain scalars are typed by YAML 1.1 rules, as Kubernetes reads manifests; see {@link KubernetesScalars}. */
    private static final FailsafeSchema KUBERNETES_SCALARS = new FailsafeSchema() {
        @Override
        public ScalarResolver getScalarResolver() {
            return KubernetesScalars.RESOLVER;
        }
    };

    private YamlDocuments() {}

    public static List<Document> parse(String file, byte[] content) {
        if (content.length > MAX_FILE_BYTES) {
            throw new InvalidInputException(SourceLocation.of(file), "file too large: " + content.length
                    + " bytes, manifests are read up to " + MAX_FILE_BYTES + " bytes per file");
        }
        String text = SourceText.decode(file, content);
        LoadSettings settings = settings(file, text);
        BoundedParser parser = new BoundedParser(new ParserImpl(settings, new StreamReader(settings, text)), file);
        List<Document> documents = new ArrayList<>();
        try {
            for (Composer composer = new Composer(settings, parser); composer.hasNext(); ) {
                Node root = composer.next();
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
        } catch (ReaderException e) {
            throw new InvalidInputException(SourceText.locate(file, text, e.getPosition()),
                    String.format("invalid YAML: character U+%04X is not allowed in YAML", e.getCodePoint()));
        } catch (NumberFormatException e) {
            // snakeyaml-engine 3.2 parses the hex digits of an escape without checking there are any: a file that
            // ends right after a backslash and x, u or U in a double-quoted scalar
            throw new InvalidInputException(SourceText.locate(file, text, text.codePointCount(0, text.length())),
                    "invalid YAML: the file ends inside an escape sequence");
        } catch (YamlEngineException e) {
            // the engine's other errors (its alias limit) carry no place: blame the last event it read
            throw new InvalidInputException(location(file, parser.lastMark().orElse(null)),
                    "invalid YAML: " + e.getMessage());
        }
        return documents;
    }

    private static LoadSettings settings(String file, String text) {
        return LoadSettings.builder()
                .setLabel(file)
                .setSchema(KUBERNETES_SCALARS)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_FILE_BYTES)
                .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
                // the whole text in one read: the engine copies its unread window on each refill of its buffer,
                // which makes a long plain scalar quadratic (2 GB copied for a 1 MB key with the default 1 KB)
                .setBufferSize(text.length() + 2)
                .build();
    }

    static SourceLocation location(String file, Mark mark) {
        return mark == null ? SourceLocation.of(file) : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Converts one document; aliases are expanded ({@link BoundedParser} has refused cycles and bombs). */
    private static final class Converter {
        private final String file;
        private final Map<String, SourceLocation> locations = new LinkedHashMap<>();

        Converter(String file) {
            this.file = file;
        }

        SourceLocation locationOf(Node node) {
            return location(file, node.getStartMark().orElse(null));
        }

        Object convert(Node node, String pointer) {
            return switch (node.getNodeType()) {
                case SCALAR -> scalar((ScalarNode) node);
                case SEQUENCE -> sequence((SequenceNode) node, pointer);
                case MAPPING -> mapping((MappingNode) node, pointer);
                default -> throw fail(node, "unsupported YAML node");
            };
        }

        private List<Object> sequence(SequenceNode node, String pointer) {
            List<Object> list = new ArrayList<>();
            for (Node item : node.getValue()) {
                String itemPointer = child(pointer, String.valueOf(list.size()), item);
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
                String key = key(scalarKey);
                String childPointer = child(pointer, escape(key), keyNode);
                if (map.containsKey(key)) {
                    String written = key.equals(scalarKey.getValue()) ? "" : ", written " + scalarKey.getValue();
                    throw fail(keyNode, "duplicate key \"" + key + "\"" + written + " (first at line "
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

        /** A child's pointer. Every value keeps one, so their length bounds a file's memory with MAX_VALUES. */
        private String child(String pointer, String step, Node node) {
            String child = pointer + "/" + step;
            if (child.length() > MAX_POINTER_LENGTH) {
                throw fail(node, "field path longer than " + MAX_POINTER_LENGTH + " characters");
            }
            return child;
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
            requireScalarTag(node);
            try {
                return KubernetesScalars.value(node.getTag(), node.getValue());
            } catch (IllegalArgumentException e) {
                throw fail(node, e.getMessage());
            }
        }

        private String key(ScalarNode node) {
            requireScalarTag(node);
            try {
                return KubernetesScalars.key(node.getTag(), node.getValue());
            } catch (IllegalArgumentException e) {
                throw fail(node, e.getMessage());
            }
        }

        private void requireScalarTag(ScalarNode node) {
            if (!KubernetesScalars.isScalarTag(node.getTag())) {
                throw fail(node, "unsupported YAML tag " + node.getTag().getValue());
            }
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
