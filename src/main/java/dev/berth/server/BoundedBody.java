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

    public static byte[] read(HttpExchange exchange, long limit) throws IOException {
        return read(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Length"), limit);
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
