package dev.berth.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's request limit, with its refusals logged and counted: so many requests handled at once, so many more waiting
 * for a slot for a while; the rest, and those that waited too long, get 503 at once rather than a queue without end.
 */
final class RequestLimit extends QoSHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLimit.class);

    private final ThrottledWarning refused;

    RequestLimit(HttpLimits limits, Handler next) {
        super(next);
        setMaxRequestCount(limits.activeRequests());
        setMaxSuspendedRequestCount(limits.waitingRequests());
        setMaxSuspend(limits.maxWait());
        refused = new ThrottledWarning(LOG, "request_limit", "request", "answered 503: " + limits.activeRequests()
                + " in progress and " + limits.waitingRequests() + " waiting, the most allowed");
    }

    ThrottledWarning refusals() {
        return refused;
    }

    /** The waiting requests are full. */
    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        refused.happened(describe(request));
        super.reject(request, response, callback, status);
    }

    /** A waiting request's time ran out (or the server stopped). */
    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        refused.happened(describe(request) + " after waiting");
        super.failSuspended(request, response, callback, status, failure);
    }

    private static String describe(Request request) {
        return request.getMethod() + " " + request.getHttpURI().getPath() + " from " + Request.getRemoteAddr(request);
    }
}
