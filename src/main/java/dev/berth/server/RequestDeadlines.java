package dev.berth.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time limits Jetty's idle timeout alone does not set: a client that sends its headers a byte at a time is never idle.
 * A connection must bring a request's line and headers within the header timeout of opening (or, on a kept-alive
 * connection, within the idle and header timeouts of the previous answer); a request must be read and answered within
 * the body timeout of its headers. Past either, the connection is closed. Install {@link #connections()} on the
 * connector and this handler in front of the others.
 */
final class RequestDeadlines extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private final Scheduler scheduler;
    private final Duration header;
    private final Duration body;
    private final Duration idle;
    private final Map<Connection, Scheduler.Task> awaitingRequest = new ConcurrentHashMap<>();
    private final ThrottledWarning slowHeaders;
    private final ThrottledWarning slowRequests;

    RequestDeadlines(Scheduler scheduler, HttpLimits limits, Handler next) {
        super(next);
        this.scheduler = scheduler;
        this.header = limits.headerTimeout();
        this.body = limits.bodyTimeout();
        this.idle = limits.idleTimeout();
        this.slowHeaders = new ThrottledWarning(LOG, "header_timeout", "connection",
                "closed: no complete request line and headers within "
                + seconds(header));
        this.slowRequests = new ThrottledWarning(LOG, "body_timeout", "connection",
                "closed: request not read and answered within " + seconds(body));
    }

    /** The connections closed, by deadline. */
    List<ThrottledWarning> refusals() {
        return List.of(slowHeaders, slowRequests);
    }

    /** Arms the header deadline of each connection as it opens. */
    Connection.Listener connections() {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (!(connection instanceof SslConnection)) { // TLS: the HTTP connection inside counts
                    awaitRequest(connection, header);
                }
            }

            @Override
            public void onClosed(Connection connection) {
                Scheduler.Task pending = awaitingRequest.remove(connection);
                if (pending != null) {
                    pending.cancel();
                }
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        Scheduler.Task pending = awaitingRequest.remove(connection);
        if (pending != null) {
            pending.cancel();
        }
        Scheduler.Task deadline = scheduler.schedule(() -> {
            slowRequests.happened(request.getMethod() + " " + request.getHttpURI().getPath() + " from "
                    + Request.getRemoteAddr(request));
            connection.getEndPoint().close();
        }, body.toMillis(), TimeUnit.MILLISECONDS);
        Request.addCompletionListener(request, failure -> {
            deadline.cancel();
            if (connection.getEndPoint().isOpen()) {
                awaitRequest(connection, idle.plus(header));
            }
        });
        return super.handle(request, response, callback);
    }

    private void awaitRequest(Connection connection, Duration within) {
        Scheduler.Task[] task = new Scheduler.Task[1];
        task[0] = scheduler.schedule(() -> {
            if (awaitingRequest.remove(connection, task[0])) {
                slowHeaders.happened("from " + connection.getEndPoint().getRemoteSocketAddress());
                connection.getEndPoint().close();
            }
        }, within.toMillis(), TimeUnit.MILLISECONDS);
        Scheduler.Task previous = awaitingRequest.put(connection, task[0]);
        if (previous != null) {
            previous.cancel();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() / 1000.0 + " s";
    }
}
