package dev.berth.core;

/** The git source cannot be read: unreachable, refused credentials, unknown ref. */
public class SourceUnavailableException extends BerthException {

    public SourceUnavailableException(String message) {
        super(message);
    }

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
