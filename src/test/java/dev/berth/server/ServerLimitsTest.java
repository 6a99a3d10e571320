package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's time limits and caps, with limits small enough for a unit test; the load test is LoadIT. */
class ServerLimitsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private JettyServer start(HttpLimits limits, com.sun.net.httpserver.HttpHandler handler) {
        JettyServer server = new JettyServer(new InetSocketAddress("127.0.0.1", 0), null, limits, () -> true);
        server.contexts().createContext("/", handler);
        server.start();
        open.add(server);
        return server;
    }

    private Socket connect(JettyServer server, String partialRequest) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.address().getPort());
        open.add(socket);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Milliseconds until the server closes the socket (EOF or reset); fails after the socket's read timeout. */
    private static long millisUntilClosed(Socket socket) throws IOException {
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // an error reply may come first; the close is what counts
            }
        } catch (SocketException reset) {
            // closed as well
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static HttpResponse<String> get(JettyServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConnectionThatNeverFinishesItsHeadersIsClosedAtTheHeaderTimeout() throws Exception {
        JettyServer server = start(HttpLimits.DEFAULTS.withHeaderTimeout(Duration.ofMillis(300)),
                exchange -> Json.send(exchange, new Reply(200, "ok", "served")));
        Socket slow = connect(server, "POST /hooks/generic HTTP/1.1\r\nHost: x\r\n");
        Socket dribbling = connect(server, "POST /hooks/generic HTTP/1.1\r\nHost: x\r\n");
        CompletableFuture<Long> dribbled = CompletableFuture.supplyAsync(() -> {
            try { // a header line every 100 ms: never idle, never done
                for (int i = 0; i < 100 && !dribbling.isClosed(); i++) {
                    dribbling.getOutputStream().write(("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException closed) {
                // the server closed it
            }
            return 0L;
        });

        long slowClosed = millisUntilClosed(slow);
        long dribblingClosed = millisUntilClosed(dribbling);

        assertTrue(slowClosed < 3_000, "closed after " + slowClosed + " ms");
        assertTrue(dribblingClosed < 3_000, "a client sending a header line at a time closed after " + dribblingClosed);
        dribbled.get(10, TimeUnit.SECONDS);
        assertEquals(200, get(server, "/anything").statusCode(), "the server goes on");
        assertEquals(2L, server.refusals().get("header_timeout"), "counted for the metrics");
    }

    @Test
    void aBodyThatDoesNotArriveInTimeClosesTheConnection() throws Exception {
        JettyServer server = start(HttpLimits.DEFAULTS.withBodyTimeout(Duration.ofMillis(500)),
                exchange -> Json.send(exchange, new Reply(200, "ok", BoundedBody.read(exchange, 1000).length + " bytes")));
        Socket slow = connect(server, "POST /hooks/generic HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");

        long closed = millisUntilClosed(slow);

        assertTrue(closed >= 400 && closed < 5_000, "closed after " + closed + " ms");
        assertEquals(1L, server.refusals().get("body_timeout"));
    }

    @Test
    void beyondTheRequestLimitIs503AtOnceWhileHealthStillAnswers() throws Exception {
        HttpLimits limits = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 64,
                64, 8, 1, 0, Duration.ofMillis(100), Duration.ofSeconds(1));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JettyServer server = start(limits, exchange -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Json.send(exchange, new Reply(200, "ok", "done"));
        });
        CompletableFuture<HttpResponse<String>> busy = CompletableFuture.supplyAsync(() -> {
            try {
                return get(server, "/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        long start = System.nanoTime();
        HttpResponse<String> refused = get(server, "/slow");
        long refusedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        HttpResponse<String> health = get(server, "/healthz");
        release.countDown();

        assertEquals(503, refused.statusCode());
        assertTrue(refusedMillis < 2_000, "refused after " + refusedMillis + " ms");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\",\"message\":\"alive\"}", health.body());
        assertEquals(200, busy.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(1L, server.refusals().get("request_limit"), "health is not limited, nor counted");
    }

    @Test
    void connectionsOverTheCapAreClosedAsTheyCome() throws Exception {
        JettyServer server = start(HttpLimits.DEFAULTS.withConnections(2, 2),
                exchange -> Json.send(exchange, new Reply(200, "ok", "served")));
        connect(server, "GET / HTTP/1.1\r\n");
        connect(server, "GET / HTTP/1.1\r\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openConnections() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        long closed = millisUntilClosed(connect(server, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));

        assertEquals(2, server.openConnections());
        assertTrue(closed < 2_000, "closed after " + closed + " ms");
        assertEquals(1L, server.refusals().get("connections_total"));
        assertEquals(0L, server.refusals().get("connections_per_address"), "loopback is not capped per address");
    }
}
