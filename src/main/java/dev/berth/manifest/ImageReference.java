package dev.berth.manifest;

/** The parts of an image reference that defaulting and policies care about. */
public final class ImageReference {

    private ImageReference() {}

    /** The tag, or null; a registry's ":port" is not a tag. */
    public static String tag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : null;
    }

    public static boolean hasDigest(String image) {
        return image.contains("@");
    }

    /** Kubernetes' rule: Always for ":latest" or no tag (unless pinned by digest), else IfNotPresent. */
    static String defaultPullPolicy(String image) {
        if (image == null) {
            return "IfNotPresent";
        }
        String tag = tag(image);
        return !hasDigest(image) && (tag == null || tag.equals("latest")) ? "Always" : "IfNotPresent";
    }
}
