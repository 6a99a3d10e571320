package dev.berth.runtime;

import java.nio.file.Path;

/** Where the runtime keeps its volatile state, by default under /run/berth (gone after a reboot, as containers are). */
public record RuntimeLayout(Path root) {

    public static final Path DEFAULT_ROOT = Path.of("/run/berth");

    /** The OCI runtime's {@code --root}, one per runtime: {@code runc} or {@code crun}. */
    public Path ociRoot(String runtime) {
        return root.resolve(runtime);
    }

    /** Which OCI runtime this boot's containers run under ({@link OciRuntimeChoice}). */
    public Path ociRuntimeChoice() {
        return root.resolve("oci-runtime.json");
    }

    /** One OCI bundle per container: config.json, state.json, rootfs/ (mounted), pid files, conmon's files. */
    public Path bundles() {
        return root.resolve("bundles");
    }

    public Path bundle(String id) {
        return bundles().resolve(id);
    }

    /** conmon's exit files, one per container id. */
    public Path exits() {
        return root.resolve("exits");
    }

    /** conmon's attach sockets (unused by berth, but conmon insists on a place for them). */
    public Path sockets() {
        return root.resolve("sockets");
    }

    /** What each pod's network was made with (CNI config and result), for its removal: cni/results/POD.json. */
    public Path cniResults() {
        return root.resolve("cni").resolve("results");
    }

    /** Pinned pod namespaces: netns/POD/{net,ipc,uts}. */
    public Path namespaces() {
        return root.resolve("netns");
    }
}
