package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryHostsTest {

    @Test
    void mirrorsInOrderThenDockerHubsApiHost() {
        RegistryHosts hosts = new RegistryHosts(
                Map.of("docker.io", List.of("http://127.0.0.1:5000/", "https://mirror.example")), Set.of());
        assertEquals(List.of(URI.create("http://127.0.0.1:5000"), URI.create("https://mirror.example"),
                URI.create("https://registry-1.docker.io")), hosts.endpoints("docker.io"));
    }

    @Test
    void insecureHostsUsePlainHttpOthersHttps() {
        RegistryHosts hosts = new RegistryHosts(Map.of(), Set.of("127.0.0.1:5000"));
        assertEquals(List.of(URI.create("http://127.0.0.1:5000")), hosts.endpoints("127.0.0.1:5000"));
        assertEquals(List.of(URI.create("https://ghcr.io")), hosts.endpoints("ghcr.io"));
        assertEquals(List.of(URI.create("https://registry-1.docker.io")), RegistryHosts.none().endpoints("docker.io"));
    }
}
