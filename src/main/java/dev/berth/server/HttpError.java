package dev.berth.server;

/** Thrown by a handler to answer with an error status; the router turns it into a JSON reply. */
public final class HttpError extends RuntimeException {

    private final int code;

    public HttpError(int code, String message) {
        super(message);
        this.code = code;
    }

    public Reply reply() {
        return Reply.error(code, getMessage());
    }
}
