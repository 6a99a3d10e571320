package dev.berth.image;

import dev.berth.core.Digest;

/**
 * One layer of an image.
 *
 * @param digest    the compressed blob's digest (what the registry serves and the content store keeps)
 * @param diffId    the digest of the uncompressed tar (from the image config): chain ids are built from these
 * @param mediaType e.g. application/vnd.oci.image.layer.v1.tar+gzip
 */
public record Layer(Digest digest, String mediaType, long size, Digest diffId) {}
