package dev.berth.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file as berth reads it, and its registry mirrors asked for /v2/ on 127.0.0.1. */
class DoctorConfigChecksTest {

    @TempDir
    Path tmp;
    HttpServer registry;

    /** /v2/ answers 200, as a registry without a login does; anything else 404. */
    @BeforeEach
    void registry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/v2/") ? 200 : 404, -1);
            exchange.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    private String registryUrl() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    private List<Check> run(Path file, boolean named) {
        return new ConfigChecks(LoadedConfig.load(file, named), Duration.ofSeconds(5)).run();
    }

    @Test
    void noConfigFileMeansBerthsDefaultsUnlessOneWasNamed() {
        Path missing = tmp.resolve("config.yaml");
        List<Check> checks = run(missing, false);
        assertEquals(List.of("config", "mirrors"), checks.stream().map(Check::name).toList());
        checks.forEach(c -> assertEquals(Check.Status.OK, c.status(), c::toString));
        assertEquals("no " + missing + ": berth's defaults", checks.get(0).message());

        Check named = run(missing, true).get(0);
        assertEquals(Check.Status.ERROR, named.status());
        assertTrue(named.message().contains("config file not found"), named.message());
    }

    @Test
    void aConfigBerthRefusesIsAnErrorNamingTheLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("config.yaml"), "source:\n  repo: x\nrutnime: crun\n");
        Check config = run(file, true).get(0);
        assertEquals(Check.Status.ERROR, config.status());
        assertTrue(config.message().contains(file + ":3") && config.message().contains("unknown key \"rutnime\""),
                config.message());
    }

    @Test
    void eachMirrorIsAskedForTheRegistryApi() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path file = Files.writeString(tmp.resolve("config.yaml"), """
                registries:
                  docker.io:
                    mirrors:
                      - %s
                      - %s/not-a-registry
                      - http://mirror-user:hunter2@127.0.0.1:%d
                """.formatted(registryUrl(), registryUrl(), closed));
        List<Check> checks = run(file, true);
        assertEquals(List.of("config", "mirror", "mirror", "mirror"), checks.stream().map(Check::name).toList());
        assertEquals(Check.Status.OK, checks.get(0).status());
        assertEquals(Check.Status.OK, checks.get(1).status(), checks.get(1)::toString);
        assertEquals(registryUrl() + " (a mirror of docker.io) answers 200 at /v2/", checks.get(1).message());
        assertEquals(Check.Status.WARN, checks.get(2).status(), checks.get(2)::toString);
        assertTrue(checks.get(2).message().contains("answers 404"), checks.get(2).message());
        Check unreachable = checks.get(3);
        assertEquals(Check.Status.WARN, unreachable.status());
        assertTrue(unreachable.message().startsWith("http://mirror-user@127.0.0.1:" + closed
                + " (a mirror of docker.io) cannot be reached"), unreachable.message());
        assertFalse(unreachable.toString().contains("hunter2"), unreachable::toString);
        assertTrue(unreachable.fix().contains("then to docker.io itself"), unreachable.fix());
    }

    @Test
    void passwordsLeaveUrlsShownToPeople() {
        assertEquals("https://bob@mirror.example:5000/v2", ConfigChecks.withoutPassword(
                "https://bob:p@ss@mirror.example:5000/v2"));
        assertEquals("https://mirror.example", ConfigChecks.withoutPassword("https://mirror.example"));
        assertEquals("http://bob@m.example/a@b", ConfigChecks.withoutPassword("http://bob@m.example/a@b"));
    }
}
