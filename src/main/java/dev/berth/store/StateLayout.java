package dev.berth.store;

import dev.berth.core.ResourceKey;
import java.nio.file.Path;

/** Where things live under a node's state root (default /var/lib/berth). */
public record StateLayout(Path root) {

    public static final Path DEFAULT_ROOT = Path.of("/var/lib/berth");

    /** One record per applied object: objects/KIND/NAMESPACE/NAME.json (NAMESPACE "_cluster" for cluster-scoped). */
    public Path objects() {
        return root.resolve("objects");
    }

    public Path record(ResourceKey key) {
        String namespace = key.clusterScoped() ? "_cluster" : key.namespace();
        return objects().resolve(key.kind()).resolve(namespace).resolve(key.name() + ".json");
    }

    /** Applied Secrets with their values, readable by root only: secrets/NAMESPACE/NAME.json. */
    public Path secrets() {
        return root.resolve("secrets");
    }

    public Path secret(ResourceKey key) {
        return secrets().resolve(key.namespace()).resolve(key.name() + ".json");
    }

    /** The key of the digests that stand for Secret values in records (0600): see {@link NodeSecretKey}. */
    public Path secretDigestKey() {
        return root.resolve("secret-digest.key");
    }

    /** Bare git caches, one per repository URL. */
    public Path gitCache() {
        return root.resolve("git");
    }

    /** Verified blobs: content/blobs/sha256/HEX; partial downloads in content/ingest/REF/. */
    public Path content() {
        return root.resolve("content");
    }

    /** Unpacked layers, one directory per chain id: snapshots/ID/{fs,work} plus a small metadata file. */
    public Path snapshots() {
        return root.resolve("snapshots");
    }

    /** Image records: which manifest digest a name (e.g. docker.io/library/busybox:1.35) points at. */
    public Path images() {
        return root.resolve("images");
    }

    /** One directory per pod: its record, volumes/ and logs/. */
    public Path pods() {
        return root.resolve("pods");
    }

    /** Seccomp profiles of the node's own, for {@code seccompProfile: {type: Localhost, localhostProfile: FILE}}. */
    public Path seccompProfiles() {
        return root.resolve("seccomp");
    }

    /** The Services' virtual IPs and node ports, kept so that a Service holds its own across restarts. */
    public Path serviceIps() {
        return root.resolve("service-ips.json");
    }

    /** Named local volumes that back PersistentVolumeClaims and outlive pods. */
    public Path volumes() {
        return root.resolve("volumes");
    }
}
