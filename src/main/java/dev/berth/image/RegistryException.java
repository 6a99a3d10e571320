package dev.berth.image;

import dev.berth.core.BerthException;

/** A registry did not give what was asked; {@link #reason()} tells a caller whether another endpoint may help. */
public class RegistryException extends BerthException {

    /** Why a request failed. */
    public enum Reason {
        NOT_FOUND, UNAUTHORIZED, UNREACHABLE, BAD_RESPONSE,
        /** Sent its headers, then no byte for the registry's timeout: not worth asking again at once. */
        STALLED
    }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
