package dev.berth.manifest;

import dev.berth.core.InvalidInputException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Hands a parser's events to the composer while measuring what the file becomes once its aliases are expanded:
 * how many values and how deeply nested. The composer, the tree conversion and the typed binding after it all
 * take memory per value and recurse once per level, and a few hundred bytes of aliases can stand for billions of
 * values or thousands of levels. Crossing a limit is an error at the event that crosses it, before anything is
 * built from it.
 */
final class BoundedParser implements Parser {

    /** Far beyond any Kubernetes object (a pod's fields nest about 12 deep), far below a stack overflow. */
    private static final int MAX_DEPTH = 100;
    /** Values of one file, aliases expanded: each costs about a kilobyte while it is converted, bound and checked. */
    private static final long MAX_VALUES = 100_000;

    /** What an anchored node stands for wherever an alias repeats it. */
    private record Expansion(long values, int depth) {}

    /** The expansion of an anchored collection not yet read to its end. */
    private static final Expansion OPEN = new Expansion(-1, -1);

    /** A collection being read: where it started counting, how deep it reaches (aliases expanded). */
    private static final class OpenCollection {
        final Optional<Anchor> anchor;
        final long valuesBefore;
        final int level;
        int deepest;

        OpenCollection(Optional<Anchor> anchor, long valuesBefore, int level) {
            this.anchor = anchor;
            this.valuesBefore = valuesBefore;
            this.level = level;
            this.deepest = level;
        }
    }

    private final Parser parser;
    private final String file;
    private final Deque<OpenCollection> open = new ArrayDeque<>();
    private final Map<Anchor, Expansion> anchors = new HashMap<>();
    private long values;
    private Optional<Mark> lastMark = Optional.empty();

    BoundedParser(Parser parser, String file) {
        this.parser = parser;
        this.file = file;
    }

    /** Where the last event handed out started: the place to blame for an engine error that has none. */
    Optional<Mark> lastMark() {
        return lastMark;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        lastMark = event.getStartMark();
        switch (event.getEventId()) {
            case DocumentStart -> anchors.clear(); // anchors are per document
            case Scalar -> {
                count(event, 1, 0);
                ((NodeEvent) event).getAnchor().ifPresent(a -> anchors.put(a, new Expansion(1, 0)));
            }
            case Alias -> {
                AliasEvent alias = (AliasEvent) event;
                Expansion expansion = anchors.get(alias.getAlias());
                if (expansion == OPEN) {
                    // a cycle: it has no finite expansion, and the engine's merging of "<<: *a" loops on it forever
                    throw refuse(event, "alias *" + alias.getAlias().getValue() + " is inside the node it refers to");
                }
                // an undefined alias counts once: the composer refuses it
                count(event, expansion == null ? 1 : expansion.values(), expansion == null ? 0 : expansion.depth());
            }
            case SequenceStart, MappingStart -> {
                count(event, 1, 1);
                Optional<Anchor> anchor = ((NodeEvent) event).getAnchor();
                anchor.ifPresent(a -> anchors.put(a, OPEN));
                open.push(new OpenCollection(anchor, values - 1, open.size() + 1));
            }
            case SequenceEnd, MappingEnd -> close();
            default -> { }
        }
        return event;
    }

    /** Adds a node of {@code nodeValues} values reaching {@code nodeDepth} levels below the current one. */
    private void count(Event event, long nodeValues, int nodeDepth) {
        values += nodeValues;
        int reached = open.size() + nodeDepth;
        String expanding = event instanceof AliasEvent alias
                ? " once alias *" + alias.getAlias().getValue() + " is expanded" : "";
        if (reached > MAX_DEPTH) {
            throw refuse(event, "nesting deeper than " + MAX_DEPTH + " levels" + expanding);
        }
        if (values > MAX_VALUES) {
            throw refuse(event, "more than " + MAX_VALUES + " values in one file" + expanding);
        }
        if (!open.isEmpty()) {
            open.peek().deepest = Math.max(open.peek().deepest, reached);
        }
    }

    private void close() {
        OpenCollection closed = open.pop();
        // unless the anchor was defined again inside, which is what its aliases now mean
        closed.anchor.ifPresent(a -> anchors.replace(a, OPEN,
                new Expansion(values - closed.valuesBefore, closed.deepest - closed.level + 1)));
        if (!open.isEmpty()) {
            open.peek().deepest = Math.max(open.peek().deepest, closed.deepest);
        }
    }

    private InvalidInputException refuse(Event event, String message) {
        return new InvalidInputException(YamlDocuments.location(file, event.getStartMark().orElse(null)), message);
    }
}
