package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.node.PodRuntime;
import dev.berth.runtime.OciRuntime;
import dev.berth.testing.CliRun;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on this repository's {@code manifests-example/} and {@code policies/}, on berth's
 * default pod network: it converges, the page answers on the host at the web Service's NodePort, and the worker pod
 * gets it from the Service by name.
 */
class ExampleIT {

    private static final Path EXAMPLE = Path.of("manifests-example");
    private static final String PAGE = "<h1>Hello from berth</h1>";

    private static TestRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = Scenarios.registry();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theExampleConvergesAndItsPageAnswersOnTheHostAndToTheWorkerByName() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        try (NodeFixture node = new NodeFixture(dir, registry, "")) {
            for (Path file : files) {
                node.repo.write(file.toString(), Files.readString(file));
            }
            node.repo.commit("the example");
            CliRun applied = node.apply("--path", EXAMPLE.toString(), "--policies", Path.of("policies").toAbsolutePath()
                    .toString(), "--wait");
            assertEquals(0, applied.exitCode(), applied.toString());
            assertTrue(applied.out().contains("Applied: the node is converged."), applied.toString());

            assertTrue(page("http://127.0.0.1:30080/").contains(PAGE), "the page through the NodePort");
            String worker = PodRuntime.containerId(node.pod("worker").id(), "worker");
            OciRuntime.ExecResult fetched = node.exec(worker, "wget", "-q", "-O", "-", "http://web/");
            assertEquals(0, fetched.exitCode(), fetched.toString());
            assertTrue(fetched.stdout().contains(PAGE), fetched.stdout());

            for (Path file : files) { // the fixture's prune removes only what is at the repository's top
                node.repo.delete(file.toString());
            }
            node.repo.commit("the example removed");
        }
    }

    private static String page(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }
}
