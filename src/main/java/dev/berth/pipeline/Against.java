package dev.berth.pipeline;

import dev.berth.core.InvalidInputException;
import dev.berth.core.SourceLocation;
import dev.berth.store.StateLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code plan} compares the desired state with (the {@code --against} option). */
public sealed interface Against {

    /** Nothing exists yet: everything is a create. */
    record Empty() implements Against {
        public String toString() {
            return "empty";
        }
    }

    /** A node's state root, as its records say. */
    record StateDir(Path root) implements Against {
        public String toString() {
            return "state:" + root;
        }
    }

    /** The desired state at another ref of the same repository: "what does this change do". */
    record Ref(String ref) implements Against {
        public String toString() {
            return "ref:" + ref;
        }
    }

    /** A running {@code berth watch} server's live state, from its API. */
    record Server(URI url) implements Against {
        public String toString() {
            return "server:" + url;
        }
    }

    /**
     * Parses {@code empty | state:DIR | ref:REF | server:URL}; null means the default: the node's state root when it
     * holds state, else empty.
     */
    static Against parse(String text, Path root) {
        if (text == null) {
            return Files.isDirectory(new StateLayout(root).objects()) ? new StateDir(root) : new Empty();
        }
        if (text.equals("empty")) {
            return new Empty();
        }
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        switch (kind) {
            case "state":
                return new StateDir(value.isEmpty() ? root : Path.of(value));
            case "ref":
                if (!value.isEmpty()) {
                    return new Ref(value);
                }
                break;
            case "server":
                if (!value.isEmpty()) {
                    return new Server(URI.create(value));
                }
                break;
            default:
        }
        throw new InvalidInputException(SourceLocation.of("--against"),
                "expected empty, state:DIR, ref:REF or server:URL, got \"" + text + "\"");
    }
}
