package dev.berth.node.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** httpGet and tcpSocket probes against real servers on 127.0.0.1, with the kubelet's semantics and wording. */
class NetworkProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    /** The paths the test's HTTP server was asked for, in order. */
    private final List<String> requested = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    /**
     * Answers /status/N with N, /to?url with a 302 there, /loop with a 307 to itself, /big with 100 KiB, anything else
     * with 200 "ok".
     */
    private int httpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        servers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requested.add(exchange.getRequestURI().toString());
        if (path.startsWith("/status/")) {
            reply(exchange, Integer.parseInt(path.substring(8)), "status");
        } else if (path.equals("/to")) {
            exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getRawQuery());
            reply(exchange, 302, "moved");
        } else if (path.equals("/loop")) {
            exchange.getResponseHeaders().add("Location", "/loop");
            reply(exchange, 307, "again");
        } else if (path.equals("/big")) {
            exchange.sendResponseHeaders(200, 0); // chunked
            try (var out = exchange.getResponseBody()) {
                out.write("x".repeat(100 * 1024).getBytes(StandardCharsets.US_ASCII));
            }
        } else {
            reply(exchange, 200, "ok");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ProbeAction.HttpGet get(int port, String path, ProbeAction.Header... headers) {
        return new ProbeAction.HttpGet("http", null, port, path, List.of(headers));
    }

    private static ProbeResult run(ProbeAction.HttpGet get) {
        return HttpGetProbe.run(get, TIMEOUT, TestDialers.LOOPBACK);
    }

    @Test
    void successIsStatus200To399() throws IOException {
        int port = httpServer();
        assertEquals(ProbeResult.success("ok"), run(get(port, "/")));
        assertEquals(ProbeResult.success("status"), run(get(port, "/status/299")));
        assertEquals(ProbeResult.warning("Probe terminated redirects, Response body: status"),
                run(get(port, "/status/399")), "a 3xx that is not followed passes with a warning, as the kubelet's");
        assertEquals(ProbeResult.failure("HTTP probe failed with statuscode: 400"), run(get(port, "/status/400")));
        assertEquals(ProbeResult.failure("HTTP probe failed with statuscode: 500"), run(get(port, "/status/500")));
    }

    @Test
    void sendsTheKubeletsHeadersAndClosesTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = oneExchange(server, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            ProbeResult result = run(get(server.getLocalPort(), "/healthz?full=1",
                    new ProbeAction.Header("X-Custom", "yes"), new ProbeAction.Header("Host", "web.example")));
            assertEquals(ProbeResult.success("ok"), result);
            assertEquals("GET /healthz?full=1 HTTP/1.1\r\nHost: web.example\r\nUser-Agent: kube-probe/1.32\r\n"
                    + "Accept: */*\r\nX-Custom: yes\r\nConnection: close\r\n\r\n[closed]", request.get(10, TimeUnit.SECONDS));
        }
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = oneExchange(server, "HTTP/1.0 200 OK\r\n\r\n");
            run(get(server.getLocalPort(), "/", new ProbeAction.Header("User-Agent", "mine"),
                    new ProbeAction.Header("Accept", "text/plain")));
            assertEquals("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\nUser-Agent: mine\r\n"
                    + "Accept: text/plain\r\nConnection: close\r\n\r\n[closed]", request.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * Serves one connection: reads the request head, sends {@code response}, then waits for the client to close;
     * completes with the request and "[closed]" once it has.
     */
    private static CompletableFuture<String> oneExchange(ServerSocket server, String response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                socket.shutdownOutput();
                return head.toString(StandardCharsets.ISO_8859_1) + (in.read() == -1 ? "[closed]" : "[still open]");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aServerThatDoesNotAnswerInTimeFailsTheProbe() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept(); // and never answers
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int port = silent.getLocalPort();
            ProbeResult result = HttpGetProbe.run(get(port, "/"), Duration.ofMillis(300), TestDialers.LOOPBACK);
            assertEquals(ProbeResult.failure("Get \"http://127.0.0.1:" + port + "/\": context deadline exceeded "
                    + "(Client.Timeout exceeded while awaiting headers)"), result);
            accepted.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void redirectsAreFollowedOnTheSameHostOnly() throws IOException {
        int port = httpServer();
        assertEquals(ProbeResult.success("status"), run(get(port, "/to?/status/201")));
        assertEquals(List.of("/to?/status/201", "/status/201"), requested);

        requested.clear();
        ProbeResult elsewhere = run(get(port, "/to?http://localhost:" + port + "/status/500"));
        assertEquals(ProbeResult.warning("Probe terminated redirects, Response body: moved"), elsewhere,
                "another host is not followed: success with a warning");
        assertEquals(List.of("/to?http://localhost:" + port + "/status/500"), requested);

        requested.clear();
        assertEquals(ProbeResult.failure("Get \"http://127.0.0.1:" + port + "/loop\": stopped after 10 redirects"),
                run(get(port, "/loop")));
        assertEquals(11, requested.size(), "the first request and 10 redirects");
    }

    @Test
    void readsAtMost10KiBOfTheBody() throws IOException {
        ProbeResult result = run(get(httpServer(), "/big"));
        assertTrue(result.success());
        assertEquals(HttpGetProbe.MAX_BODY, result.output().length());
    }

    @Test
    void refusedConnectionsReadAsTheKubeletsDialErrors() throws IOException {
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        assertEquals(ProbeResult.failure("Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed
                + ": connect: connection refused"), run(get(closed, "/")));
        assertEquals(ProbeResult.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"),
                TcpSocketProbe.run(new ProbeAction.TcpSocket(null, closed), TIMEOUT, TestDialers.LOOPBACK));
    }

    @Test
    void aTcpProbePassesWhenTheConnectionOpens() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(ProbeResult.success(""), TcpSocketProbe.run(
                    new ProbeAction.TcpSocket("127.0.0.1", open.getLocalPort()), TIMEOUT, TestDialers.LOOPBACK));
        }
    }

    @Test
    void httpsDoesNotVerifyTheCertificate() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        server.createContext("/", this::answer);
        server.start();
        servers.add(() -> server.stop(0));
        ProbeResult result = run(new ProbeAction.HttpGet("https", null, server.getAddress().getPort(), "/status/200",
                List.of()));
        assertEquals(ProbeResult.success("status"), result);
    }

    /** A certificate for a name that is not the probe's host, made by the JDK's keytool. */
    private SSLContext selfSigned() throws Exception {
        Path store = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-alias", "server", "-dname", "CN=elsewhere.example", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void namedPortsAreTheContainersPorts() throws IOException {
        int port = httpServer();
        List<ContainerPort> ports = List.of(new ContainerPortBuilder().withName("http").withContainerPort(port).build());
        Probe named = new ProbeBuilder().withNewHttpGet().withPath("/status/200").withPort(new IntOrString("http"))
                .endHttpGet().build();
        ProbeSpec spec = ProbeSpec.of(ProbeKind.READINESS, named, ports);
        assertEquals(new ProbeAction.HttpGet("http", null, port, "/status/200", List.of()), spec.action());
        assertEquals(ProbeResult.success("status"), run((ProbeAction.HttpGet) spec.action()));

        BerthException unknown = assertThrows(BerthException.class, () -> ProbeSpec.of(ProbeKind.LIVENESS,
                new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString("metrics")).endTcpSocket().build(), ports));
        assertEquals("livenessProbe.tcpSocket.port: the container has no port named \"metrics\"", unknown.getMessage());
    }

    @Test
    void failuresAndWarningsReadAsTheKubeletsEvents() throws IOException {
        int port = httpServer();
        Probe failing = new ProbeBuilder().withNewHttpGet().withPath("/status/500").withPort(new IntOrString(port))
                .endHttpGet().build();
        Probe redirected = new ProbeBuilder().withNewHttpGet().withPath("/to").withPort(new IntOrString(port))
                .endHttpGet().build();
        redirected.getHttpGet().setPath("/to?http://localhost:" + port + "/");
        ContainerProbes probes = ContainerProbes.of(new ContainerBuilder().withName("app").withLivenessProbe(failing)
                .withReadinessProbe(redirected).build());
        ProbeVerdict verdict = probes.evaluate(probes.initial(Instant.EPOCH), "pod-app", Instant.EPOCH,
                (id, command, timeout) -> {
                    throw new AssertionError("no exec probe here");
                }, TestDialers.LOOPBACK);
        assertEquals(List.of("Liveness probe failed: HTTP probe failed with statuscode: 500"), verdict.failures());
        assertEquals(List.of("Readiness probe warning: Probe terminated redirects, Response body: moved"),
                verdict.warnings());
        assertTrue(verdict.ready(), "a warning is a success");
        assertNull(verdict.restartMessage(), "one failure of three");
    }
}
