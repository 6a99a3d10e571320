package dev.berth.manifest;

import dev.berth.core.SourceLocation;
import java.util.Map;

/** Where each field of one object was written, keyed by JSON pointer ("/spec/replicas"). */
public final class FieldLocations {

    private final SourceLocation document;
    private final Map<String, SourceLocation> byPointer;

    public FieldLocations(SourceLocation document, Map<String, SourceLocation> byPointer) {
        this.document = document;
        this.byPointer = Map.copyOf(byPointer);
    }

    /** The place of the field, or of its nearest written parent, or of the document when none was written. */
    public SourceLocation find(String pointer) {
        for (String p = pointer; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
            SourceLocation found = byPointer.get(p);
            if (found != null) {
                return found;
            }
        }
        return document;
    }
}
