package dev.berth.image;

import dev.berth.core.Digest;

/**
 * A parsed image name: registry host, repository, tag and/or digest, normalised as Docker does
 * ({@code busybox} is {@code docker.io/library/busybox:latest}).
 *
 * @param tag    null when only a digest was given
 * @param digest null unless pinned with {@code @sha256:...}
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    /** Parses a reference; {@link IllegalArgumentException} with a user-facing message when it is not one. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank() || !text.equals(text.trim())) {
            throw new IllegalArgumentException("invalid image reference \"" + text + "\"");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first >= 0) {
            String head = rest.substring(0, first);
            // Like Docker: the first part is a host when it has a dot or a port, or is localhost.
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (!rest.matches("[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*")) {
            throw new IllegalArgumentException("invalid image reference \"" + text + "\": bad repository name");
        }
        if (tag != null && !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("invalid image reference \"" + text + "\": bad tag");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** What to ask the registry for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
