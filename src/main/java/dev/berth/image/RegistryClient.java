package dev.berth.image;

import dev.berth.core.Digest;
import dev.berth.core.Hashing;
import dev.berth.image.RegistryException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI distribution API's read side: manifests and blobs, with Docker's token auth (anonymous or with basic
 * credentials, tokens cached per scope) and plain basic auth. Secrets never appear in messages.
 */
public final class RegistryClient {

    static final String MANIFEST_TYPES = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.DOCKER_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    /** An error's body only adds detail to a status already known: not worth a long wait. */
    private static final Duration ERROR_BODY_STALL = Duration.ofSeconds(5);

    static {
        // java.net.http reads the socket in 16 KiB buffers and hands each one to the thread reading the body: for
        // blobs of tens of MB that ping-pong costs more than the transfer (fetch of a 105 MB image on 2 CPUs:
        // 491 -> 369 ms with 256 KiB). The JDK reads this documented property once, when its client first loads.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
        }
    }

    private final DockerAuthFile auth;
    /** Authorization header per "authority/repository", learned from the last challenge. */
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    /**
     * Made on first use: a cold JVM takes some 250 ms to build one (TLS setup), which an apply whose images are all
     * present never needs.
     */
    private HttpClient http;

    public RegistryClient(DockerAuthFile auth) {
        this.auth = auth;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /** A manifest or index as served, with its media type. */
    public record Manifest(byte[] bytes, String mediaType, Digest digest) {}

    /**
     * {@code GET /v2/REPO/manifests/REF}; the bytes are checked against {@code expected} when given.
     *
     * @param stall how long to wait for the response, and then for each further byte of it
     */
    public Manifest manifest(URI endpoint, String repository, String reference, Digest expected, Duration stall) {
        URI uri = endpoint.resolve("/v2/" + repository + "/manifests/" + reference);
        HttpResponse<InputStream> response = send(endpoint, repository, uri, Map.of("Accept", MANIFEST_TYPES), stall);
        byte[] bytes;
        try (InputStream in = StallGuard.guard(response.body(), stall, "manifest from " + endpoint)) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException(Reason.UNREACHABLE, "reading manifest from " + endpoint + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException(Reason.BAD_RESPONSE, "manifest from " + endpoint + " is larger than 4 MiB");
        }
        Digest actual = sha256(bytes);
        Optional<String> served = response.headers().firstValue("Docker-Content-Digest");
        if (expected != null && !actual.equals(expected)) {
            throw new DigestMismatchException("manifest digest mismatch from " + endpoint + ": expected " + expected
                    + ", got " + actual);
        }
        if (served.isPresent() && served.get().startsWith("sha256:") && !served.get().equals(actual.toString())) {
            throw new DigestMismatchException("manifest digest mismatch from " + endpoint + ": registry says "
                    + served.get() + ", content is " + actual);
        }
        String type = response.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").trim();
        return new Manifest(bytes, type, actual);
    }

    /**
     * {@code GET /v2/REPO/blobs/DIGEST} from an offset (Range), following redirects without our credentials.
     *
     * @param stall how long to wait for the response, and then for each further byte of it
     */
    public BlobSource blob(URI endpoint, String repository, Digest digest, Duration stall) {
        return offset -> {
            Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
            HttpResponse<InputStream> response = send(endpoint, repository,
                    endpoint.resolve("/v2/" + repository + "/blobs/" + digest), headers, stall);
            for (int hops = 0; isRedirect(response.statusCode()); hops++) {
                String location = response.headers().firstValue("Location").orElse(null);
                response.body().close();
                if (location == null || hops >= MAX_REDIRECTS) {
                    throw new RegistryException(Reason.BAD_RESPONSE, "bad redirect for blob " + digest + " from " + endpoint);
                }
                response = exchange(response.uri().resolve(location), headers, null, stall);
                checkStatus(response, endpoint, "blob " + digest);
            }
            long start = response.statusCode() == 206 ? rangeStart(response) : 0;
            return new BlobSource.Opened(StallGuard.guard(response.body(), stall, "blob " + digest + " from " + endpoint),
                    start);
        };
    }

    private static long rangeStart(HttpResponse<?> response) {
        String range = response.headers().firstValue("Content-Range").orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d+)-").matcher(range);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** One request, answering a 401 challenge once; redirects are returned to the caller. */
    private HttpResponse<InputStream> send(URI endpoint, String repository, URI uri, Map<String, String> headers,
                                           Duration stall) {
        String key = endpoint.getRawAuthority() + "/" + repository;
        HttpResponse<InputStream> response = exchange(uri, headers, authorizations.get(key), stall);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            close(response);
            authorizations.put(key, authorize(endpoint, repository, challenge, stall));
            response = exchange(uri, headers, authorizations.get(key), stall);
        }
        checkStatus(response, endpoint, uri.getPath().replaceFirst("^/v2/", ""));
        return response;
    }

    private String authorize(URI endpoint, String repository, String header, Duration stall) {
        Optional<Credentials> credentials = auth.forHost(endpoint.getRawAuthority());
        AuthChallenge challenge;
        try {
            challenge = AuthChallenge.parse(header);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Reason.UNAUTHORIZED, "unauthorized: " + endpoint + " asks for credentials without a challenge");
        }
        if (challenge.scheme().equals("basic")) {
            return credentials.map(Credentials::basicHeader).orElseThrow(() -> new RegistryException(
                    Reason.UNAUTHORIZED, "unauthorized: " + endpoint + " wants credentials and none are configured"));
        }
        if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
            throw new RegistryException(Reason.UNAUTHORIZED, "unauthorized: unsupported auth scheme from " + endpoint);
        }
        return "Bearer " + token(challenge, repository, credentials, stall);
    }

    private String token(AuthChallenge challenge, String repository, Optional<Credentials> credentials, Duration stall) {
        String scope = challenge.param("scope") != null ? challenge.param("scope") : "repository:" + repository + ":pull";
        StringBuilder query = new StringBuilder("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        if (challenge.param("service") != null) {
            query.append("&service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
        }
        String realm = challenge.param("realm");
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpResponse<InputStream> response = exchange(uri, Map.of(), credentials.map(Credentials::basicHeader).orElse(null),
                stall);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            close(response);
            throw new RegistryException(Reason.UNAUTHORIZED, "unauthorized: token service " + uri.getHost()
                    + " refused " + (credentials.isPresent() ? "the credentials" : "anonymous access"));
        }
        checkStatus(response, uri, "token");
        try (InputStream in = StallGuard.guard(response.body(), stall, "token from " + uri.getHost())) {
            JsonNode json = JsonMapper.builder().build().readTree(in.readNBytes(MAX_MANIFEST_BYTES));
            String token = json.path("token").asString(json.path("access_token").asString(""));
            if (token.isEmpty()) {
                throw new RegistryException(Reason.BAD_RESPONSE, "token service " + uri.getHost() + " returned no token");
            }
            return token;
        } catch (IOException | JacksonException e) {
            throw new RegistryException(Reason.BAD_RESPONSE, "token service " + uri.getHost() + " returned garbage", e);
        }
    }

    private HttpResponse<InputStream> exchange(URI uri, Map<String, String> headers, String authorization,
                                               Duration stall) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(stall); // until the headers

        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new RegistryException(Reason.UNREACHABLE, "registry unreachable: connection refused by "
                    + uri.getScheme() + "://" + uri.getRawAuthority(), e);
        } catch (HttpTimeoutException e) {
            throw new RegistryException(Reason.UNREACHABLE, "registry unreachable: timeout from " + uri.getRawAuthority(), e);
        } catch (IOException e) {
            throw new RegistryException(Reason.UNREACHABLE, "registry unreachable: " + uri.getRawAuthority() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Reason.UNREACHABLE, "interrupted while talking to " + uri.getRawAuthority(), e);
        }
    }

    private static void checkStatus(HttpResponse<InputStream> response, URI endpoint, String what) {
        int status = response.statusCode();
        if (status / 100 == 2 || isRedirect(status)) {
            return;
        }
        String detail = errorDetail(response);
        Reason reason = switch (status) {
            case 404 -> Reason.NOT_FOUND;
            case 401, 403 -> Reason.UNAUTHORIZED;
            default -> status >= 500 ? Reason.UNREACHABLE : Reason.BAD_RESPONSE;
        };
        String prefix = reason == Reason.UNAUTHORIZED ? "unauthorized: " : reason == Reason.NOT_FOUND ? "not found: " : "";
        throw new RegistryException(reason, prefix + what + ": " + detail + " (HTTP " + status + " from "
                + endpoint.getScheme() + "://" + endpoint.getRawAuthority() + ")");
    }

    /** The registry's own words from its {"errors": [{"code", "message"}]} body, else the status alone. */
    private static String errorDetail(HttpResponse<InputStream> response) {
        try (InputStream in = StallGuard.guard(response.body(), ERROR_BODY_STALL, "error body")) {
            JsonNode first = JsonMapper.builder().build().readTree(in.readNBytes(64 * 1024)).path("errors").path(0);
            String message = first.path("message").asString("");
            return message.isEmpty() ? first.path("code").asString("no detail").toLowerCase() : message;
        } catch (IOException | JacksonException | RegistryException e) {
            return "no detail";
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing to release beyond the connection, which the client reclaims
        }
    }

    static Digest sha256(byte[] bytes) {
        return Digest.sha256(Hashing.sha256(bytes));
    }
}
