package dev.berth.image;

import dev.berth.core.BerthException;

/**
 * An image could not be made present. {@link #reason()} is what Kubernetes shows in a container's waiting state:
 * {@code ErrImagePull} or {@code ErrImageNeverPull}; the message starts with it.
 */
public class ImagePullException extends BerthException {

    private final String reason;

    public ImagePullException(String reason, ImageReference image, String detail, Throwable cause) {
        super(reason + ": " + image + ": " + detail, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
