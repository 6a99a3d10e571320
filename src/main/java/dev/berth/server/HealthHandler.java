package dev.berth.server;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code GET /healthz} and {@code GET /readyz} ahead of the request limits that webhooks and API calls share,
 * so that a flood of those cannot fail a load balancer's health check. Anything else (other methods too, for their
 * 405) goes on to the next handler.
 */
final class HealthHandler extends Handler.Wrapper {

    static final Reply ALIVE = new Reply(200, "ok", "alive");
    static final Reply READY = new Reply(200, "ok", "ready");
    static final Reply NOT_READY = new Reply(503, "unavailable", "not ready");

    private static final byte[] ALIVE_BODY = Json.bytes(ALIVE);
    private static final byte[] READY_BODY = Json.bytes(READY);
    private static final byte[] NOT_READY_BODY = Json.bytes(NOT_READY);

    private final BooleanSupplier ready;

    HealthHandler(BooleanSupplier ready, Handler next) {
        super(next);
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        String path = request.getHttpURI().getPath();
        if ("/healthz".equals(path)) {
            send(response, ALIVE.code(), ALIVE_BODY, callback);
            return true;
        }
        if ("/readyz".equals(path)) {
            boolean isReady = ready.getAsBoolean();
            send(response, isReady ? READY.code() : NOT_READY.code(), isReady ? READY_BODY : NOT_READY_BODY, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static void send(Response response, int code, byte[] body, Callback callback) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
