package dev.berth.core;

import java.util.regex.Pattern;

/** A full git commit id. */
public record Revision(String sha) {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public Revision {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a full commit id: " + sha);
        }
    }

    public String abbreviated() {
        return sha.substring(0, 12);
    }

    @Override
    public String toString() {
        return sha;
    }
}
