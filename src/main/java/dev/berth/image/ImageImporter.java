package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports an image archive without a registry: an OCI image layout in a tar (oci-layout, index.json, blobs/) or a
 * {@code docker save} tarball (manifest.json naming config and layer files). Blobs named by digest are verified;
 * the others get the digest of their content. The archive may be gzip-compressed.
 */
public final class ImageImporter {

    private static final int IN_MEMORY_LIMIT = 1024 * 1024;
    private static final String NAME_ANNOTATION = "org.opencontainers.image.ref.name";
    private static final String CONTAINERD_NAME_ANNOTATION = "io.containerd.image.name";

    private final ContentStore content;
    private final ImageStore images;
    private final Platform platform;

    public ImageImporter(ContentStore content, ImageStore images, Platform platform) {
        this.content = content;
        this.images = images;
        this.platform = platform;
    }

    /** Imports every image in the archive; {@code name} (nullable) names the only image, overriding its tags. */
    public List<Image> importArchive(Path archive, ImageReference name) {
        Entries entries = new Entries();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzipIfNeeded(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.read(entry, tar);
            }
        } catch (IOException e) {
            throw new BerthException("cannot read image archive " + archive + ": " + e.getMessage(), e);
        }
        List<Image> imported = entries.small.containsKey("index.json") ? fromOciLayout(entries, name)
                : entries.small.containsKey("manifest.json") ? fromDockerSave(entries, name)
                : List.of();
        if (imported.isEmpty()) {
            throw new BerthException(archive + " holds no image (expected an OCI layout with index.json, or a docker save "
                    + "tarball with manifest.json)");
        }
        return imported;
    }

    private List<Image> fromOciLayout(Entries entries, ImageReference name) {
        JsonNode index = OciDocuments.tree(entries.small.get("index.json"), "index.json");
        List<Image> result = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            Digest digest = Digest.parse(entry.path("digest").asString(""));
            Digest indexDigest = null;
            byte[] bytes = content.read(digest);
            if (OciDocuments.isIndex(bytes, entry.path("mediaType").asString(""))) {
                indexDigest = digest;
                digest = OciDocuments.select(OciDocuments.indexEntries(bytes), platform).digest();
                bytes = content.read(digest);
            }
            JsonNode annotations = entry.path("annotations");
            String tag = annotations.path(CONTAINERD_NAME_ANNOTATION).asString(annotations.path(NAME_ANNOTATION).asString(""));
            result.add(record(chooseName(name, tag, index.path("manifests").size()), digest, bytes, indexDigest));
        }
        return result;
    }

    private List<Image> fromDockerSave(Entries entries, ImageReference name) {
        JsonNode manifests = JsonMapper.builder().build().readTree(entries.small.get("manifest.json"));
        List<Image> result = new ArrayList<>();
        for (JsonNode m : manifests) {
            Digest config = entries.digestOf(m.path("Config").asString(""));
            List<Map<String, Object>> layers = new ArrayList<>();
            for (JsonNode path : m.path("Layers")) {
                Digest layer = entries.digestOf(path.asString(""));
                layers.add(descriptor(layerMediaType(layer), layer));
            }
            // docker save has no registry manifest: write the OCI manifest a registry would have served.
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", config));
            manifest.put("layers", layers);
            byte[] bytes = JsonMapper.builder().build().writeValueAsBytes(manifest);
            Digest digest = content.add(new ByteArrayInputStream(bytes));
            String tag = m.path("RepoTags").path(0).asString("");
            result.add(record(chooseName(name, tag, manifests.size()), digest, bytes, null));
        }
        return result;
    }

    private Image record(ImageReference name, Digest manifestDigest, byte[] manifestBytes, Digest index) {
        OciDocuments.ImageManifest manifest = OciDocuments.manifest(manifestBytes);
        for (OciDocuments.Descriptor blob : manifest.layers()) {
            requirePresent(blob.digest());
        }
        requirePresent(manifest.config().digest());
        Image image = OciDocuments.image(name, manifestDigest, manifestBytes, content.read(manifest.config().digest()));
        images.put(image, index);
        return image;
    }

    private void requirePresent(Digest digest) {
        if (!content.has(digest)) {
            throw new BerthException("image archive lacks blob " + digest);
        }
    }

    private static ImageReference chooseName(ImageReference given, String fromArchive, int images) {
        if (given != null) {
            if (images > 1) {
                throw new BerthException("--name needs an archive with one image; this one has " + images);
            }
            return given;
        }
        if (fromArchive.isEmpty()) {
            throw new BerthException("the archive does not name its image: pass --name");
        }
        return ImageReference.parse(fromArchive);
    }

    private Map<String, Object> descriptor(String mediaType, Digest digest) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", content.sizeOf(digest));
        return d;
    }

    private String layerMediaType(Digest layer) {
        try (InputStream in = content.open(layer)) {
            byte[] magic = in.readNBytes(2);
            boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            return gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER_TAR;
        } catch (IOException e) {
            throw new BerthException("cannot read layer " + layer + ": " + e.getMessage(), e);
        }
    }

    private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GzipCompressorInputStream(in) : in;
    }

    /** What one pass over the tar found: small files in memory, stored blobs by path, and links. */
    private final class Entries {
        final Map<String, byte[]> small = new HashMap<>();
        final Map<String, Digest> stored = new HashMap<>();
        final Map<String, String> links = new HashMap<>();

        void read(TarArchiveEntry entry, InputStream tar) throws IOException {
            String path = normalise(entry.getName());
            if (entry.isSymbolicLink() || entry.isLink()) {
                String target = entry.getLinkName();
                String base = path.contains("/") && entry.isSymbolicLink() ? path.substring(0, path.lastIndexOf('/') + 1) : "";
                links.put(path, normalise(base + target));
                return;
            }
            if (!entry.isFile()) {
                return;
            }
            InputStream body = new FilterInputStream(tar) {
                @Override
                public void close() {
                    // the tar stream goes on to the next entry
                }
            };
            Digest named = path.matches("blobs/sha256/[0-9a-f]{64}") ? Digest.parse("sha256:" + path.substring(13)) : null;
            if (entry.getSize() <= IN_MEMORY_LIMIT) {
                byte[] bytes = body.readAllBytes();
                small.put(path, bytes);
                if (named != null) {
                    stored.put(path, content.ingest(new ByteArrayInputStream(bytes), named, bytes.length));
                }
            } else {
                stored.put(path, named != null ? content.ingest(body, named, entry.getSize()) : content.add(body));
            }
        }

        Digest digestOf(String rawPath) {
            String path = normalise(rawPath);
            for (int hops = 0; links.containsKey(path) && hops < 10; hops++) {
                path = links.get(path);
            }
            if (!stored.containsKey(path)) {
                byte[] bytes = small.get(path);
                if (bytes == null) {
                    throw new BerthException("image archive lacks " + rawPath);
                }
                stored.put(path, content.add(new ByteArrayInputStream(bytes)));
            }
            return stored.get(path);
        }

        private String normalise(String name) {
            Path p = Path.of("/", name).normalize();
            return p.toString().substring(1);
        }
    }
}
