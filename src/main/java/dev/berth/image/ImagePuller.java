package dev.berth.image;

import dev.berth.core.BerthException;
import dev.berth.core.Digest;
import dev.berth.image.OciDocuments.Descriptor;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes an image present: resolves the reference (an index to this platform's manifest), downloads and verifies
 * config and layers into the {@link ContentStore}, several layers at once, and records the image.
 */
public final class ImagePuller {

    private static final int PARALLEL_LAYERS = 3;
    private static final int ATTEMPTS_PER_BLOB = 3;

    private final ContentStore content;
    private final ImageStore images;
    private final RegistryClient client;
    private final RegistryHosts hosts;
    private final Platform platform;

    public ImagePuller(ContentStore content, ImageStore images, RegistryClient client, RegistryHosts hosts,
                       Platform platform) {
        this.content = content;
        this.images = images;
        this.client = client;
        this.hosts = hosts;
        this.platform = platform;
    }

    public Image pull(ImageReference ref, PullPolicy policy) {
        return pull(ref, policy, PullProgress.NONE);
    }

    public Image pull(ImageReference ref, PullPolicy policy, PullProgress progress) {
        if (policy != PullPolicy.ALWAYS) {
            var present = images.get(ref);
            if (present.isPresent()) {
                return present.get();
            }
            if (policy == PullPolicy.NEVER) {
                throw new ImagePullException("ErrImageNeverPull", ref,
                        "not present on this node and the pull policy is Never", null);
            }
        }
        List<String> failures = new ArrayList<>();
        List<URI> endpoints = hosts.endpoints(ref.registry());
        for (URI endpoint : endpoints) {
            try {
                return pullFrom(endpoint, ref, progress);
            } catch (BerthException e) {
                failures.add(e.getMessage());
                if (failures.size() == endpoints.size()) {
                    throw new ImagePullException("ErrImagePull", ref, String.join("; then ", failures), e);
                }
            }
        }
        throw new IllegalStateException("RegistryHosts always yields the registry itself");
    }

    private Image pullFrom(URI endpoint, ImageReference ref, PullProgress progress) {
        Duration stall = hosts.timeout(ref.registry());
        RegistryClient.Manifest top = client.manifest(endpoint, ref.repository(), ref.manifestReference(), ref.digest(),
                stall);
        Digest index = null;
        RegistryClient.Manifest manifest = top;
        if (OciDocuments.isIndex(top.bytes(), top.mediaType())) {
            index = top.digest();
            Descriptor chosen = OciDocuments.select(OciDocuments.indexEntries(top.bytes()), platform);
            manifest = client.manifest(endpoint, ref.repository(), chosen.digest().toString(), chosen.digest(), stall);
        }
        OciDocuments.ImageManifest parsed = OciDocuments.manifest(manifest.bytes());
        progress.expect(parsed.config().size() + parsed.layers().stream().mapToLong(Descriptor::size).sum());
        fetch(endpoint, ref.repository(), parsed.config(), stall, progress);
        fetchAll(endpoint, ref.repository(), parsed.layers(), stall, progress);
        // Manifests go in last, so a present manifest implies its blobs are present too.
        if (index != null) {
            content.ingest(new ByteArrayInputStream(top.bytes()), index, top.bytes().length);
        }
        content.ingest(new ByteArrayInputStream(manifest.bytes()), manifest.digest(), manifest.bytes().length);
        Image image = OciDocuments.image(ref, manifest.digest(), manifest.bytes(), content.read(parsed.config().digest()));
        images.put(image, index);
        return image;
    }

    private void fetchAll(URI endpoint, String repository, List<Descriptor> layers, Duration stall,
                          PullProgress progress) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_LAYERS, layers.size())));
        try {
            List<Future<?>> downloads = new ArrayList<>();
            for (Descriptor layer : layers) {
                downloads.add(pool.submit(() -> fetch(endpoint, repository, layer, stall, progress)));
            }
            for (Future<?> download : downloads) {
                download.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BerthException b ? b : new BerthException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while pulling layers", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A cut connection is retried, continuing where it stopped; bad content, a refusal or a stalled registry is not
     * (a stall already waited the registry's whole timeout: the pull fails, and is tried again later).
     */
    private void fetch(URI endpoint, String repository, Descriptor blob, Duration stall, PullProgress progress) {
        if (content.has(blob.digest())) {
            progress.advanced(blob.size());
            return;
        }
        BlobSource source = counting(client.blob(endpoint, repository, blob.digest(), stall), progress);
        for (int attempt = 1; ; attempt++) {
            try {
                content.ingest(source, blob.digest(), blob.size());
                return;
            } catch (DigestMismatchException e) {
                throw e;
            } catch (RegistryException e) {
                if (e.reason() != RegistryException.Reason.UNREACHABLE || attempt == ATTEMPTS_PER_BLOB) {
                    throw e;
                }
            } catch (BerthException e) {
                if (attempt == ATTEMPTS_PER_BLOB) {
                    throw e;
                }
            }
        }
    }

    private static BlobSource counting(BlobSource source, PullProgress progress) {
        return offset -> {
            BlobSource.Opened opened = source.open(offset);
            InputStream counted = new FilterInputStream(opened.stream()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advanced(n);
                    }
                    return n;
                }
            };
            return new BlobSource.Opened(counted, opened.offset());
        };
    }
}
