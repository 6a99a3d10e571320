package dev.berth.core;

/** Root of berth's exceptions; unchecked, and each message is fit to show a user as it is. */
public class BerthException extends RuntimeException {

    public BerthException(String message) {
        super(message);
    }

    public BerthException(String message, Throwable cause) {
        super(message, cause);
    }
}
