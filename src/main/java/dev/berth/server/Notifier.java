package dev.berth.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells a webhook URL how a sync ended: one JSON body that Slack reads (its {@code text}) and other receivers
 * read field by field. Sent on its own thread, retried three times with backoff, never holding up a reconcile.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 3;

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-notify");
        t.setDaemon(true);
        return t;
    });

    public Notifier(URI url) {
        this.url = url;
    }

    /** @param event synced, failed or degraded */
    public void notify(String event, String revision, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "berth: " + event + (revision == null ? "" : " at " + revision.substring(0, Math.min(12, revision.length())))
                + (message == null ? "" : ": " + message));
        body.put("event", event);
        body.put("revision", revision);
        body.put("message", message);
        byte[] json = JSON.writeValueAsBytes(body);
        sender.execute(() -> send(json));
    }

    private void send(byte[] json) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 300) {
                    return;
                }
                LOG.warn("notification to {} answered {} (attempt {})", url, response.statusCode(), attempt);
            } catch (java.io.IOException e) {
                LOG.warn("notification to {} failed (attempt {}): {}", url, attempt, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(1000L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
