package dev.berth.image;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where to fetch a registry host's content from, like containerd's hosts.toml: its mirrors in the configured
 * order, then the host itself (https, or http when marked insecure); and how long to wait for it.
 */
public final class RegistryHosts {

    /** Docker Hub's name in image references differs from the host that serves its API. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    /** How long a registry may keep a pull waiting for its answer, or for the next byte of it, unless configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, List<String>> mirrors;
    private final Set<String> insecure;
    private final Map<String, Duration> timeouts;

    /**
     * @param mirrors  per registry host (as written in image references, e.g. docker.io), mirror base URLs
     * @param insecure hosts (host or host:port) reached over plain http
     * @param timeouts per registry host, how long its answers may stall; {@link #DEFAULT_TIMEOUT} for others
     */
    public RegistryHosts(Map<String, List<String>> mirrors, Set<String> insecure, Map<String, Duration> timeouts) {
        this.mirrors = Map.copyOf(mirrors);
        this.insecure = Set.copyOf(insecure);
        this.timeouts = Map.copyOf(timeouts);
    }

    public RegistryHosts(Map<String, List<String>> mirrors, Set<String> insecure) {
        this(mirrors, insecure, Map.of());
    }

    public static RegistryHosts none() {
        return new RegistryHosts(Map.of(), Set.of());
    }

    /** How long a pull from {@code registry} (through its mirrors too) waits for an answer, and for each byte of it. */
    public Duration timeout(String registry) {
        return timeouts.getOrDefault(registry, DEFAULT_TIMEOUT);
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
