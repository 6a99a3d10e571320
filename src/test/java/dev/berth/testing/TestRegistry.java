package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code docker-registry} (distribution 2.x) on 127.0.0.1 with its storage in a temp dir, optionally behind
 * htpasswd basic auth, fed with {@code skopeo copy} from OCI layouts (see {@link TestImages}). Stops in close().
 */
public final class TestRegistry implements AutoCloseable {

    public static final String BUSYBOX = "library/busybox:1.35";

    private final Process process;
    private final int port;
    private final Path dir;
    private final String credentials;

    private TestRegistry(Process process, int port, Path dir, String credentials) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.credentials = credentials;
    }

    public static void requirePrerequisites() {
        Prerequisites.requireBinaries("docker-registry", "skopeo", "htpasswd");
        TestImages.requirePrerequisites();
    }

    /** An anonymous registry. */
    public static TestRegistry start() {
        return start(null, null);
    }

    /** A registry that wants basic auth with this user and password. */
    public static TestRegistry startWithBasicAuth(String user, String password) {
        return start(user, password);
    }

    private static TestRegistry start(String user, String password) {
        requirePrerequisites();
        Path dir = TestImages.tempDir("berth-registry-");
        try {
            StringBuilder config = new StringBuilder("version: 0.1\nlog: {level: error}\n")
                    .append("storage:\n  filesystem: {rootdirectory: ").append(dir.resolve("storage")).append("}\n")
                    .append("  delete: {enabled: true}\n");
            if (user != null) {
                Files.writeString(dir.resolve("htpasswd"), Processes.run("htpasswd", "-Bbn", user, password));
                config.append("auth:\n  htpasswd: {realm: basic, path: ").append(dir.resolve("htpasswd")).append("}\n");
            }
            // Another test run may take the port between our probe and the registry's bind: try a few.
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Path file = dir.resolve("config-" + port + ".yml");
                Files.writeString(file, config + "http:\n  addr: 127.0.0.1:" + port + "\n");
                Process process = new ProcessBuilder("docker-registry", "serve", file.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
                TestRegistry registry = new TestRegistry(process, port, dir, user == null ? null : user + ":" + password);
                try {
                    registry.awaitReady();
                    return registry;
                } catch (IllegalStateException e) {
                    registry.close();
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** host:port, as image references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    /** Pushes the layout's {@link TestImages#TAG} image as {@code repositoryAndTag}, e.g. library/busybox:1.35. */
    public TestRegistry push(Path layout, String repositoryAndTag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false"));
        if (credentials != null) {
            command.addAll(List.of("--dest-creds", credentials));
        }
        command.addAll(List.of("oci:" + layout + ":" + TestImages.TAG, "docker://" + host() + "/" + repositoryAndTag));
        Processes.run(command.toArray(String[]::new));
        return this;
    }

    public TestRegistry pushBusybox() {
        return push(TestImages.busybox(), BUSYBOX);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + log());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(url().resolve("/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("docker-registry did not answer on " + url() + " within 20 s: " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the registry (idempotent); the storage stays until JVM exit, for post-mortems. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
