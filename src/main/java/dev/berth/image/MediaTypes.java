package dev.berth.image;

/** The manifest and layer media types berth understands (OCI and their Docker v2 equivalents). */
final class MediaTypes {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    private MediaTypes() {}

    static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }
}
