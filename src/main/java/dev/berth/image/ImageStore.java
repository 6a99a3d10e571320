package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.store.AtomicFiles;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Image records: one small JSON file per name under {@code images/} saying which manifest the name points at
 * (and which blobs it holds). The {@link Image} itself is rebuilt from the manifest and config in the content store.
 */
public final class ImageStore {

    static final String API_VERSION = "berth.dev/v1";
    static final String KIND = "ImageRecord";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final ContentStore content;

    public ImageStore(Path imagesDir, ContentStore content) {
        this.dir = imagesDir;
        this.content = content;
    }

    /** Records {@code image} under its name; {@code index} is the index it was chosen from, or null. */
    public void put(Image image, Digest index) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("apiVersion", API_VERSION);
        json.put("kind", KIND);
        json.put("name", image.name().toString());
        json.put("manifest", image.manifest().toString());
        json.put("index", index == null ? null : index.toString());
        json.put("config", image.config().toString());
        json.put("layers", image.layers().stream().map(l -> l.digest().toString()).toList());
        AtomicFiles.write(file(image.name()), JSON.writeValueAsBytes(json));
    }

    /** The image recorded under this name, if it is whole in the content store. */
    public Optional<Image> get(ImageReference name) {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Record record = read(file);
        if (!record.blobs().stream().allMatch(content::has)) {
            return Optional.empty();
        }
        return Optional.of(OciDocuments.image(name, record.manifest(), content.read(record.manifest()),
                content.read(record.config())));
    }

    /** Every recorded image that is whole, sorted by name. */
    public List<Image> list() {
        List<Image> images = new ArrayList<>();
        for (Path file : files()) {
            get(ImageReference.parse(nameOf(file))).ifPresent(images::add);
        }
        return images;
    }

    /** Forgets the name; its blobs stay until pruned. False when it was not recorded. */
    public boolean remove(ImageReference name) {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        AtomicFiles.delete(file);
        return true;
    }

    /** Every blob a recorded image uses (index, manifest, config, layers): what a prune keeps. */
    public Set<Digest> referencedBlobs() {
        Set<Digest> used = new TreeSet<>(java.util.Comparator.comparing(Digest::toString));
        for (Path file : files()) {
            used.addAll(read(file).blobs());
        }
        return used;
    }

    private record Record(Digest manifest, Digest index, Digest config, List<Digest> layers) {
        List<Digest> blobs() {
            List<Digest> all = new ArrayList<>(layers);
            all.add(manifest);
            all.add(config);
            if (index != null) {
                all.add(index);
            }
            return all;
        }
    }

    private static Record read(Path file) {
        try {
            JsonNode json = JSON.readTree(file.toFile());
            if (!API_VERSION.equals(json.path("apiVersion").asString("")) || !KIND.equals(json.path("kind").asString(""))) {
                throw new BerthException(file + ": not a " + API_VERSION + " " + KIND);
            }
            List<Digest> layers = new ArrayList<>();
            for (JsonNode layer : json.path("layers")) {
                layers.add(Digest.parse(layer.asString("")));
            }
            String index = json.path("index").asString("");
            return new Record(Digest.parse(json.path("manifest").asString("")),
                    index.isEmpty() ? null : Digest.parse(index), Digest.parse(json.path("config").asString("")), layers);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BerthException(file + ": corrupt image record (" + e.getMessage() + ")", e);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new BerthException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The name, URL-encoded, is the file name: flat, reversible, and free of '/'. */
    private Path file(ImageReference name) {
        return dir.resolve(URLEncoder.encode(name.toString(), StandardCharsets.UTF_8) + ".json");
    }

    private static String nameOf(Path file) {
        String encoded = file.getFileName().toString();
        return URLDecoder.decode(encoded.substring(0, encoded.length() - ".json".length()), StandardCharsets.UTF_8);
    }
}
