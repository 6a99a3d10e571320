package dev.berth.client;

import dev.berth.core.SourceUnavailableException;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a running {@code berth watch}'s HTTP API with its bearer token, for {@code plan --against server:URL} and
 * {@code status --server URL}. An https:// server is trusted through the system's CAs, or only through the CA
 * certificates of {@code --cacert} / {@code $BERTH_CACERT}. Every failure (out of reach, untrusted, refused, not
 * JSON) is a {@link SourceUnavailableException} whose message names the URL.
 */
public final class ApiClient {

    /** Where the CLI takes the API token from. */
    public static final String TOKEN_VARIABLE = "BERTH_TOKEN";
    /** Where the CLI takes the CA certificate file from when {@code --cacert} is not given. */
    public static final String CACERT_VARIABLE = "BERTH_CACERT";

    private final URI server;
    private final String token;
    private final HttpClient http;

    /**
     * @param token  null or blank: send none
     * @param caFile PEM file of the CA certificates to trust for https; null: the system's
     */
    public ApiClient(URI server, String token, Path caFile) {
        if (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
            throw new SourceUnavailableException("expected the server as https://HOST:PORT (or http://), got \""
                    + server + "\"");
        }
        this.server = server;
        this.token = token == null || token.isBlank() ? null : token.trim();
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caFile != null) {
            http.sslContext(PemCertificates.trusting(caFile));
        }
        this.http = http.build();
    }

    /** With the token in {@code $BERTH_TOKEN}; {@code caFile} null: the one in {@code $BERTH_CACERT}, if set. */
    public static ApiClient fromEnvironment(URI server, Path caFile) {
        String variable = System.getenv(CACERT_VARIABLE);
        Path ca = caFile != null ? caFile : variable == null || variable.isBlank() ? null : Path.of(variable);
        return new ApiClient(server, System.getenv(TOKEN_VARIABLE), ca);
    }

    /** The JSON document at {@code path} (e.g. {@code /api/v1/status}). */
    public JsonNode get(String path) {
        URI url = server.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            throw new SourceUnavailableException("TLS handshake with " + url + " failed: " + e.getMessage()
                    + " (if the server's certificate comes from a private CA or is self-signed, set " + CACERT_VARIABLE
                    + " to that CA's PEM file)", e);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot reach " + url + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("interrupted while reading " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new SourceUnavailableException(url + " answered " + response.statusCode() + explanation(response));
        }
        return json(url, response.body());
    }

    private static JsonNode json(URI url, byte[] body) {
        try {
            JsonNode node = JsonFiles.JSON.readTree(body);
            if (!node.isMissingNode()) {
                return node;
            }
        } catch (JacksonException e) {
            throw new SourceUnavailableException(url + " did not answer with JSON (is it a berth watch?): "
                    + e.getOriginalMessage(), e);
        }
        throw new SourceUnavailableException(url + " answered with an empty body");
    }

    /** The HTTP client's ConnectException has no message: it is "typically" a refused connection, says its javadoc. */
    private static String reason(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private String explanation(HttpResponse<byte[]> response) {
        if (response.statusCode() == 401) {
            return token == null ? " (set " + TOKEN_VARIABLE + " to the server's API token)"
                    : " (" + TOKEN_VARIABLE + " is not the server's API token)";
        }
        try { // the API's errors are {"status": ..., "message": ...}
            String message = JsonFiles.JSON.readTree(response.body()).path("message").asString("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (JacksonException notJson) {
            return "";
        }
    }
}
