package dev.berth.inspect;

/** Commit ids as berth prints them for people: the first 12 digits, as {@code plan} does. */
final class Revisions {

    private Revisions() {}

    static String shorten(String sha) {
        return sha == null ? "<none>" : sha.substring(0, Math.min(12, sha.length()));
    }
}
