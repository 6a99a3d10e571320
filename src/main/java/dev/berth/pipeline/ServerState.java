package dev.berth.pipeline;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.core.SourceUnavailableException;
import dev.berth.plan.ActualState;
import dev.berth.plan.LiveObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live node behind a running {@code berth watch}, read from its {@code /api/v1/objects} with the bearer token
 * in {@code $BERTH_TOKEN}: what {@code plan --against server:URL} diffs with in CI.
 */
public final class ServerState {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private ServerState() {}

    @SuppressWarnings("unchecked")
    public static ActualState fetch(URI server, String token) {
        URI url = server.resolve("/api/v1/objects");
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.trim());
        }
        try {
            HttpResponse<byte[]> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new SourceUnavailableException(url + " answered " + response.statusCode()
                        + (response.statusCode() == 401 ? " (set BERTH_TOKEN to the server's API token)" : ""));
            }
            List<LiveObject> live = new ArrayList<>();
            for (Map<String, Object> o : (List<Map<String, Object>>) JSON.readValue(response.body(), Map.class).get("objects")) {
                String revision = (String) o.get("revision");
                live.add(new LiveObject(new ResourceKey((String) o.get("kind"), (String) o.get("namespace"),
                        (String) o.get("name")), (Map<String, Object>) o.get("object"), (String) o.get("hash"),
                        revision == null ? null : new Revision(revision), true, !Boolean.FALSE.equals(o.get("prune"))));
            }
            return new ActualState(live);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot reach " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("interrupted while reading " + url, e);
        }
    }
}
