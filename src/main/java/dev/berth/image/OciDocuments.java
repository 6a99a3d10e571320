package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the OCI (and Docker v2) JSON documents: index, manifest, image config. Pure, no I/O. */
final class OciDocuments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OciDocuments() {}

    /** A content descriptor; platform fields are empty outside an index. */
    record Descriptor(String mediaType, Digest digest, long size, String os, String architecture) {}

    /** A platform manifest: config and layers, bottom first. */
    record ImageManifest(Descriptor config, List<Descriptor> layers) {}

    static JsonNode tree(byte[] bytes, String what) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BerthException(what + " is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new BerthException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Whether the document is an index / manifest list (by media type, else by shape). */
    static boolean isIndex(byte[] bytes, String mediaType) {
        return MediaTypes.isIndex(mediaType) || MediaTypes.isIndex(tree(bytes, "manifest").path("mediaType").asString(""))
                || tree(bytes, "manifest").has("manifests");
    }

    static List<Descriptor> indexEntries(byte[] bytes) {
        List<Descriptor> entries = new ArrayList<>();
        for (JsonNode m : tree(bytes, "image index").path("manifests")) {
            entries.add(descriptor(m, "image index"));
        }
        return entries;
    }

    /** The index entry for {@code platform}; an error listing what the index offers otherwise. */
    static Descriptor select(List<Descriptor> entries, Platform platform) {
        return entries.stream()
                .filter(d -> platform.os().equals(d.os()) && platform.architecture().equals(d.architecture()))
                .findFirst()
                .orElseThrow(() -> new BerthException("no manifest for " + platform + " (the index has "
                        + entries.stream().map(d -> d.os() + "/" + d.architecture()).toList() + ")"));
    }

    static ImageManifest manifest(byte[] bytes) {
        JsonNode root = tree(bytes, "image manifest");
        if (!root.has("config") || !root.path("layers").isArray()) {
            throw new BerthException("image manifest has no config or layers (schema 1 manifests are not supported)");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            layers.add(descriptor(layer, "image manifest"));
        }
        return new ImageManifest(descriptor(root.path("config"), "image manifest"), layers);
    }

    /** Builds the {@link Image} from its manifest and config blobs. */
    static Image image(ImageReference name, Digest manifestDigest, byte[] manifestBytes, byte[] configBytes) {
        ImageManifest manifest = manifest(manifestBytes);
        JsonNode config = tree(configBytes, "image config");
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        if (diffIds.size() != manifest.layers().size()) {
            throw new BerthException("image config of " + name + " lists " + diffIds.size() + " diff_ids for "
                    + manifest.layers().size() + " layers");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Descriptor d = manifest.layers().get(i);
            layers.add(new Layer(d.digest(), d.mediaType(), d.size(), digest(diffIds.get(i).asString(""), "image config")));
        }
        JsonNode run = config.path("config");
        ImageConfig runConfig = new ImageConfig(strings(run.path("Entrypoint")), strings(run.path("Cmd")),
                strings(run.path("Env")), run.path("WorkingDir").asString(""), run.path("User").asString(""));
        return new Image(name, manifestDigest, manifest.config().digest(), layers, runConfig);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array) {
            values.add(v.asString(""));
        }
        return values;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        JsonNode platform = node.path("platform");
        return new Descriptor(node.path("mediaType").asString(""), digest(node.path("digest").asString(""), where),
                node.path("size").asLong(-1), platform.path("os").asString(""),
                platform.path("architecture").asString(""));
    }

    private static Digest digest(String text, String where) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BerthException(where + " has an invalid digest \"" + text + "\"");
        }
    }
}
