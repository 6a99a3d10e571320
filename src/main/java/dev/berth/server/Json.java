package dev.berth.server;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

/** JSON in and out of exchanges, with berth's mapper; errors in the input become 400s with the parser's reason. */
public final class Json {

    private static final ObjectWriter WRITER = JsonFiles.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** Sends {@code body} as JSON with {@code code}; the caller (or the router) closes the exchange. */
    public static void send(HttpExchange exchange, int code, Object body) throws IOException {
        byte[] bytes = WRITER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void send(HttpExchange exchange, Reply reply) throws IOException {
        send(exchange, reply.code(), body(reply));
    }

    /** {@code reply}'s body, {@code {"status": ..., "message": ...}}, as bytes. */
    public static byte[] bytes(Reply reply) {
        return WRITER.writeValueAsBytes(body(reply));
    }

    private static Map<String, String> body(Reply reply) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", reply.status());
        body.put("message", reply.message());
        return body;
    }

    /** The JSON document in {@code bytes}; {@link HttpError} 400 when it is not one. */
    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = JsonFiles.JSON.readTree(bytes);
            if (node.isMissingNode()) {
                throw new HttpError(400, "malformed JSON: empty body");
            }
            return node;
        } catch (JacksonException e) {
            throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The request's body (at most {@code limit} bytes) bound to {@code type}; 400 or 413 otherwise. */
    public static <T> T read(HttpExchange exchange, long limit, Class<T> type) throws IOException {
        JsonNode node = parse(BoundedBody.read(exchange, limit));
        try {
            return JsonFiles.JSON.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new HttpError(400, "invalid request: " + e.getOriginalMessage());
        }
    }
}
