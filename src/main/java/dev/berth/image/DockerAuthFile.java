package dev.berth.image;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry credentials from a Docker {@code config.json} (or containers-auth.json, the same format):
 * {@code auths.<host>.auth} as base64 user:pass, or {@code username}/{@code password}. Credential helpers are not run.
 */
public final class DockerAuthFile {

    private final Map<String, Credentials> byHost;

    private DockerAuthFile(Map<String, Credentials> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static DockerAuthFile empty() {
        return new DockerAuthFile(Map.of());
    }

    /** The file given, else {@code $REGISTRY_AUTH_FILE}, else {@code ~/.docker/config.json}; absent files mean none. */
    public static DockerAuthFile locate(Map<String, String> env) {
        String named = env.get("REGISTRY_AUTH_FILE");
        if (named != null && !named.isEmpty()) {
            return load(Path.of(named));
        }
        Path home = Path.of(System.getProperty("user.home"), ".docker", "config.json");
        return Files.isRegularFile(home) ? load(home) : empty();
    }

    public static DockerAuthFile load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new BerthException("cannot read registry auth file " + file + ": " + e.getMessage(), e);
        } catch (JacksonException | IllegalArgumentException e) {
            // The message must not quote the file: it holds secrets.
            throw new BerthException("registry auth file " + file + " is not valid: expected {\"auths\": {HOST: {\"auth\": ...}}}");
        }
    }

    static DockerAuthFile parse(String json) {
        JsonNode auths = JsonMapper.builder().build().readTree(json).path("auths");
        Map<String, Credentials> byHost = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            credentials(entry.getValue()).ifPresent(c -> byHost.put(normalise(entry.getKey()), c));
        }
        return new DockerAuthFile(byHost);
    }

    private static Optional<Credentials> credentials(JsonNode node) {
        String auth = node.path("auth").asString("");
        if (!auth.isEmpty()) {
            String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("auth is not user:password");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String user = node.path("username").asString("");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, node.path("password").asString("")));
    }

    /** Credentials for a host (host or host:port); Docker Hub's several names are one. */
    public Optional<Credentials> forHost(String host) {
        return Optional.ofNullable(byHost.get(normalise(host)));
    }

    /** Keys may be written as URLs ("https://index.docker.io/v1/"): only the authority counts. */
    private static String normalise(String key) {
        String host = key.contains("://") ? URI.create(key).getRawAuthority() : key.replaceFirst("/.*$", "");
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageReference.DOCKER_HUB;
            default -> host;
        };
    }
}
