package dev.berth.server;

import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** A real HTTP client for the server tests. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JsonFiles.JSON.readTree(response.body());
    }

    static String status(HttpResponse<String> response) {
        return json(response).path("status").asString();
    }

    static String message(HttpResponse<String> response) {
        return json(response).path("message").asString();
    }
}
