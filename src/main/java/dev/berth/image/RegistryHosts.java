package dev.berth.image;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where to fetch a registry host's content from, like containerd's hosts.toml: its mirrors in the configured
 * order, then the host itself (https, or http when marked insecure).
 */
public final class RegistryHosts {

    /** Docker Hub's name in image references differs from the host that serves its API. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final Map<String, List<String>> mirrors;
    private final Set<String> insecure;

    /**
     * @param mirrors  per registry host (as written in image references, e.g. docker.io), mirror base URLs
     * @param insecure hosts (host or host:port) reached over plain http
     */
    public RegistryHosts(Map<String, List<String>> mirrors, Set<String> insecure) {
        this.mirrors = Map.copyOf(mirrors);
        this.insecure = Set.copyOf(insecure);
    }

    public static RegistryHosts none() {
        return new RegistryHosts(Map.of(), Set.of());
    }

    /** The base URLs to try for {@code registry}, in order. */
    public List<URI> endpoints(String registry) {
        List<URI> result = new ArrayList<>();
        for (String mirror : mirrors.getOrDefault(registry, List.of())) {
            result.add(URI.create(mirror.endsWith("/") ? mirror.substring(0, mirror.length() - 1) : mirror));
        }
        String host = ImageReference.DOCKER_HUB.equals(registry) ? DOCKER_HUB_API : registry;
        boolean plain = insecure.contains(registry) || insecure.contains(host);
        result.add(URI.create((plain ? "http://" : "https://") + host));
        return result;
    }
}
