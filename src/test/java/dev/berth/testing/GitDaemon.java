package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A bare repository served read-only over git:// by a real {@code git daemon} on 127.0.0.1, as a team's git server
 * would serve it; work trees ({@link TestRepo}) push to it through the file system. With {@code --verbose} the
 * daemon logs each request, so tests can count what a client asked for. {@link #close} and {@link #start} make an
 * outage.
 */
public final class GitDaemon implements AutoCloseable {

    private Process process;
    private final Path base;
    private final String name;
    private final int port;

    private GitDaemon(Path base, String name, int port) {
        this.base = base;
        this.name = name;
        this.port = port;
    }

    /** Serves a new, empty bare repository {@code base/name} (e.g. {@code repo.git}). */
    public static GitDaemon serve(Path base, String name) {
        Prerequisites.requireBinaries("git");
        try {
            Git.init().setBare(true).setInitialBranch("main").setDirectory(base.resolve(name).toFile()).call().close();
            GitDaemon daemon = new GitDaemon(base, name, freePort());
            daemon.start();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts serving (again) on the same port, as a server back from an outage. */
    public void start() {
        try {
            process = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--verbose",
                    "--listen=127.0.0.1", "--port=" + port, "--base-path=" + base, base.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("daemon.log").toFile())).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    /** Pushes every branch and tag of the work tree, forced, as {@code git push --force --all --tags} would. */
    public void push(TestRepo work) {
        try {
            work.git().push().setRemote(base.resolve(name).toUri().toString()).setForce(true)
                    .setRefSpecs(new RefSpec("refs/heads/*:refs/heads/*"), new RefSpec("refs/tags/*:refs/tags/*"))
                    .call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many upload-pack requests (ls-remote, fetch, clone) the daemon has served. */
    public long uploadPackRequests() {
        try {
            return Files.readAllLines(base.resolve("daemon.log")).stream()
                    .filter(line -> line.contains("Request upload-pack")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls until the daemon listens, so callers start as soon as it is ready. */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("git daemon exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("git daemon does not listen on port " + port);
    }

    /** Stops serving: the URL refuses connections until {@link #start}. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
