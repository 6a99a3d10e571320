package dev.berth.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.core.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving neighbour for tests: a JDK HttpServer on 127.0.0.1 serving one synthetic image
 * ({@code repo:tag}) and able to corrupt a blob, cut its first download midway, or answer garbage.
 */
final class FakeRegistry implements AutoCloseable {

    enum Fault { NONE, CORRUPT_LAYER, CUT_FIRST_LAYER_DOWNLOAD, GARBAGE_MANIFEST, STALL_LAYER_BODY }

    final byte[] layer;
    final Digest layerDigest;
    final Digest configDigest;
    final List<String> rangesAsked = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final byte[] manifest;
    private final HttpServer server;
    private final Fault fault;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private boolean cut;

    FakeRegistry(Fault fault) throws IOException {
        this.fault = fault;
        layer = new byte[256 * 1024];
        new Random(7).nextBytes(layer);
        layerDigest = RegistryClient.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "d".repeat(64) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        configDigest = RegistryClient.sha256(config);
        blobs.put(layerDigest.toString(), layer);
        blobs.put(configDigest.toString(), config);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP
                + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer blocks its thread only
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/v2/app/manifests/1")) {
            boolean garbage = fault == Fault.GARBAGE_MANIFEST;
            exchange.getResponseHeaders().add("Content-Type", garbage ? "text/html" : MediaTypes.OCI_MANIFEST);
            send(exchange, 200, garbage ? "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8) : manifest);
        } else if (path.startsWith("/v2/app/blobs/") && blobs.containsKey(path.substring(14))) {
            serveBlob(exchange, path.substring(14));
        } else {
            send(exchange, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void serveBlob(HttpExchange exchange, String digest) throws IOException {
        byte[] blob = blobs.get(digest).clone();
        boolean isLayer = digest.equals(layerDigest.toString());
        if (isLayer && fault == Fault.CORRUPT_LAYER) {
            blob[blob.length / 2] ^= 1;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (isLayer && range != null) {
            rangesAsked.add(range);
            int start = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (blob.length - 1) + "/" + blob.length);
            send(exchange, 206, java.util.Arrays.copyOfRange(blob, start, blob.length));
            return;
        }
        if (isLayer && fault == Fault.STALL_LAYER_BODY) {
            exchange.sendResponseHeaders(200, blob.length);
            OutputStream out = exchange.getResponseBody();
            out.write(blob, 0, blob.length / 3);
            out.flush();
            try {
                closed.await(); // the rest never comes while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled until closed");
        }
        if (isLayer && fault == Fault.CUT_FIRST_LAYER_DOWNLOAD && !cut) {
            cut = true;
            exchange.sendResponseHeaders(200, blob.length);
            OutputStream out = exchange.getResponseBody();
            out.write(blob, 0, blob.length / 3);
            out.flush();
            // Dropping the connection mid-body is what a failing proxy or a network blip looks like.
            throw new IOException("cut the download");
        }
        send(exchange, 200, blob);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
