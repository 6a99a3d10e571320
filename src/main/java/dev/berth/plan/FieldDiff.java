package dev.berth.plan;

/**
 * One changed field: its JSON pointer and the values before and after (null when absent). A sensitive field (a
 * Secret value) carries neither value: renderers only say that it changed.
 */
public record FieldDiff(String path, Object before, Object after, boolean sensitive) {

    static FieldDiff redacted(String path) {
        return new FieldDiff(path, null, null, true);
    }
}
