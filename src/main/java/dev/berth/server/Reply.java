package dev.berth.server;

/** A small answer: the HTTP status code and the JSON body {@code {"status": ..., "message": ...}}. */
public record Reply(int code, String status, String message) {

    public static Reply error(int code, String message) {
        return new Reply(code, "error", message);
    }
}
