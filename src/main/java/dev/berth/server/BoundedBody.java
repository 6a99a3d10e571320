package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit and no further, so a client cannot make the server buffer without bound;
 * beyond it, {@link HttpError} 413. A declared Content-Length over the limit is refused before reading anything.
 */
public final class BoundedBody {

    /** The webhook and API default: push payloads of large pushes reach a few hundred KiB. */
    public static final int DEFAULT_LIMIT = 1024 * 1024;

    private BoundedBody() {}

    /** How much of a refused body is still read and dropped, so that a client still sending sees the 413. */
    static final int DRAINED = 256 * 1024;

    public static byte[] read(HttpExchange exchange, long limit) throws IOException {
        try {
            return read(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Length"), limit);
        } catch (HttpError e) {
            // a client waiting for "100 Continue" has sent nothing: no reading, or it would send the body after all
            if (!"100-continue".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Expect"))) {
                drain(exchange.getRequestBody());
            }
            throw e;
        }
    }

    /**
     * Reads and drops what the client has sent so far, up to {@link #DRAINED} bytes: a server closing on unread
     * bytes resets the connection, and a client still writing then loses the 413.
     */
    private static void drain(InputStream in) {
        try {
            long skipped = 0;
            byte[] buffer = new byte[8192];
            // only what has arrived: waiting for more would hand a slow client the thread
            for (int n; skipped < DRAINED && in.available() > 0 && (n = in.read(buffer)) != -1; ) {
                skipped += n;
            }
        } catch (IOException closed) {
            // the client gave up: nothing left to protect
        }
    }

    static byte[] read(InputStream in, String contentLength, long limit) throws IOException {
        if (limit < 0 || limit >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("body limit out of range: " + limit);
        }
        if (contentLength != null && declared(contentLength) > limit) {
            throw tooLarge(limit);
        }
        // one byte past the limit tells "exactly the limit" from "more" (chunked bodies declare no length)
        byte[] body = in.readNBytes((int) limit + 1);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    private static long declared(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad Content-Length: " + contentLength);
        }
    }

    private static HttpError tooLarge(long limit) {
        return new HttpError(413, "request body over " + limit + " bytes");
    }
}
