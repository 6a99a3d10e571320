package dev.berth.testing;

import dev.berth.server.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth watch} in a process of its own (so SIGTERM is real), listening on a free port of 127.0.0.1 with an
 * API token and a webhook secret, its output in a file. Closing it stops it if its user did not.
 */
public final class WatchProcess implements AutoCloseable {

    public static final String TOKEN = "watch-token";
    public static final String HOOK_SECRET = "watch-hook-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private WatchProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Runs {@code launch watch args --listen ... --token-file ... --webhook-secret-file ...}, where {@code launch}
     * starts berth (e.g. {@code java -jar berth.jar}); its files go to {@code dir}.
     */
    public static WatchProcess start(List<String> launch, Path dir, List<String> args, Map<String, String> env) {
        try {
            Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
            Path secretFile = Files.writeString(dir.resolve("hook-secret"), HOOK_SECRET + "\n");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(launch);
            command.add("watch");
            command.addAll(args);
            command.addAll(List.of("--listen", "127.0.0.1:" + port, "--token-file", tokenFile.toString(),
                    "--webhook-secret-file", secretFile.toString()));
            Path log = Files.createTempFile(dir, "watch-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new WatchProcess(builder.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until {@code /readyz} answers 200; fails at once if the daemon exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the daemon exited: " + log());
            }
            try {
                if (get("/readyz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListening) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the daemon was not ready within " + timeout + ":\n" + log());
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET(), token);
    }

    public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    /** A generic webhook with this signature header value (none when null). */
    public HttpResponse<String> hook(String body, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/hooks/generic"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Berth-Signature-256", signature);
        }
        return send(request, null);
    }

    /** A generic webhook signed with the daemon's secret, as a git server sends it on a push. */
    public HttpResponse<String> signedHook(String body) throws IOException, InterruptedException {
        return hook(body, "sha256=" + hmac(HOOK_SECRET, body));
    }

    /** The HMAC-SHA256 of a body in hex, as GitHub and berth's generic webhook sign it. */
    public static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/v1/status} with the token. */
    public JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/status", TOKEN);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status: " + response.statusCode() + " " + response.body());
        }
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /metrics} in the text format, parsed: {@code name{labels}} (as written) to value; comments skipped. */
    public Map<String, Double> metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics", TOKEN);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("metrics: " + response.statusCode() + " " + response.body());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?)\\s+(\\S+)(?:\\s+\\d+)?$");
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a sample line: " + line);
            }
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public int logCount(String needle) {
        String text = log();
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** SIGTERM, then the daemon must exit 0 on its own within a minute. */
    public void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("still running 60 s after SIGTERM:\n" + log());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + " after SIGTERM:\n" + log());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops a daemon left running (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
