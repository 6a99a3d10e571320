package dev.berth.bench;

import dev.berth.runtime.Mounter;
import dev.berth.store.FileTrees;
import dev.berth.testing.Processes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baselines for pod start, run by an OCI runtime (crun or runc: the binary berth chose) without berth: a bare
 * {@code run -d} of a busybox {@code sleep 30} bundle made by the runtime's {@code spec}, with the rootfs either
 * copied once or overlay-mounted over the image's layer per run; and the equivalent bundle: the {@code config.json}
 * berth wrote for the same pod (its mounts, masked paths, capabilities, cgroup resources, cgroup namespace) on an
 * overlay, with the runtime making the network, IPC and UTS namespaces that berth pins beforehand. stdin is
 * /dev/null, stdout is discarded, no terminal, as under conmon.
 */
final class BareOci implements AutoCloseable {

    private static final Path ROOT = Path.of("/run/berth-bench-oci");
    private static final Pattern RUNNING = Pattern.compile("\"status\":\\s*\"running\"");

    private final Path oci;
    private final Path copied;
    private final Path overlay;
    private final Path equivalent;
    private final Path lower;
    private final Path log;
    private final Path monitors;
    private final Mounter mounter = new Mounter();
    private final List<String> live = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param oci         the runtime's binary, /usr/bin/crun or /usr/sbin/runc
     * @param berthConfig the config.json berth wrote for a container of the benchmark's pod
     */
    BareOci(Path oci, Path dir, Path layerFs, Path berthConfig) throws IOException {
        this.oci = oci;
        log = Files.createDirectories(dir).resolve("oci.err");
        monitors = Files.createDirectories(dir.resolve("conmon"));
        lower = layerFs;
        copied = bundle(oci, dir.resolve("copied"));
        Processes.run("cp", "-a", layerFs + "/.", copied.resolve("rootfs").toString());
        overlay = bundle(oci, dir.resolve("overlay"));
        equivalent = equivalentBundle(dir.resolve("equivalent"), berthConfig);
    }

    /** Create to running on the copied rootfs, in ns. */
    long runCopied(String id) throws Exception {
        long start = System.nanoTime();
        run(copied, id);
        long nanos = System.nanoTime() - start;
        checkRunning(id);
        return nanos;
    }

    /** Create to running with a fresh upper dir mounted over the image's layer, as a runtime would, in ns. */
    long runOverlay(String id) throws Exception {
        return runOverlay(overlay, id);
    }

    /** Like {@link #runOverlay} with berth's own config.json, in ns. */
    long runEquivalent(String id) throws Exception {
        return runOverlay(equivalent, id);
    }

    private long runOverlay(Path bundle, String id) throws Exception {
        long start = System.nanoTime();
        Path upper = Files.createDirectories(bundle.resolve("layers").resolve(id).resolve("upper"));
        Path work = Files.createDirectories(upper.resolveSibling("work"));
        Processes.run("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, bundle.resolve("rootfs").toString());
        run(bundle, id);
        long nanos = System.nanoTime() - start;
        checkRunning(id);
        return nanos;
    }

    /**
     * Like {@link #runEquivalent}, through what berth runs, without berth: conmon running the runtime's {@code create}
     * (the pid file tells its end), then its {@code start}, in ns. The floor for any runtime that keeps exit codes and
     * logs with conmon and drives the OCI runtime through its create/start commands.
     */
    long runMonitored(String id) throws Exception {
        return runMonitored(monitoredBundle(id), id);
    }

    /**
     * {@code n} containers at once as {@link #runMonitored}, each from a thread of its own (as berth starts a converge's
     * pods), ids {@code prefix0...}: the wall time until the last runs, in ns.
     */
    long runMonitoredAtOnce(String prefix, int n) throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bundles.add(monitoredBundle(prefix + i));
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<Long>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path bundle = bundles.get(i);
                String id = prefix + i;
                started.add(threads.submit(() -> runMonitored(bundle, id)));
            }
            for (java.util.concurrent.Future<Long> f : started) {
                f.get();
            }
            return System.nanoTime() - start;
        } finally {
            threads.shutdown();
        }
    }

    /** Untimed: a bundle of the container's own (berth's config.json, an empty rootfs to mount on), as berth has. */
    private Path monitoredBundle(String id) throws IOException {
        Path bundle = Files.createDirectories(equivalent.resolve("runs").resolve(id));
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.copy(equivalent.resolve("config.json"), bundle.resolve("config.json"));
        return bundle;
    }

    private long runMonitored(Path bundle, String id) throws Exception {
        long start = System.nanoTime();
        Path upper = Files.createDirectories(bundle.resolve("layers").resolve("upper"));
        Path work = Files.createDirectories(upper.resolveSibling("work"));
        Processes.run("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, bundle.resolve("rootfs").toString());
        live.add(id);
        Path files = Files.createDirectories(monitors.resolve(id));
        Path pidFile = files.resolve("pid");
        Process conmon = new ProcessBuilder("conmon", "--api-version", "1", "-c", id, "-u", id, "-n", id,
                "-r", oci.toString(), "-b", bundle.toString(), "-p", pidFile.toString(),
                "-P", files.resolve("conmon.pid").toString(), "-l", "k8s-file:" + files.resolve("log"),
                "--exit-dir", files.toString(), "-0", files.toString(), "--socket-dir-path", files.toString(),
                "--runtime-arg", "--root=" + ROOT)
                .directory(files.toFile()).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        if (conmon.waitFor() != 0) {
            throw new IllegalStateException("conmon " + id + " failed: " + Files.readString(log));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(pidFile) || Files.size(pidFile) == 0) { // written once the container is created
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(oci.getFileName() + " create " + id + " did not finish: " + Files.readString(log));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        Process ociStart = new ProcessBuilder(oci.toString(), "--root", ROOT.toString(), "start", id)
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        if (ociStart.waitFor() != 0) {
            throw new IllegalStateException(oci.getFileName() + " start " + id + " failed: " + Files.readString(log));
        }
        long nanos = System.nanoTime() - start;
        checkRunning(id);
        return nanos;
    }

    /** delete --force, then the overlays (if any) and their upper dirs, and conmon's files once it has exited. */
    void delete(String id) throws IOException {
        Processes.run(oci.toString(), "--root", ROOT.toString(), "delete", "--force", id);
        live.remove(id);
        Path conmonPid = monitors.resolve(id).resolve("conmon.pid");
        if (Files.exists(conmonPid)) { // conmon writes the exit code (twice: exit and persist dir) as it leaves
            ProcessHandle.of(Long.parseLong(Files.readString(conmonPid).strip())).ifPresent(conmon -> {
                try {
                    conmon.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("conmon of " + id + " did not exit: " + e, e);
                }
            });
        }
        FileTrees.deleteRecursively(monitors.resolve(id));
        for (Path bundle : List.of(overlay, equivalent)) {
            mounter.unmountAllUnder(bundle.resolve("rootfs"));
            FileTrees.deleteRecursively(bundle.resolve("layers").resolve(id));
        }
        Path run = equivalent.resolve("runs").resolve(id);
        mounter.unmountAllUnder(run);
        FileTrees.deleteRecursively(run);
    }

    /** {@code run -d}, which returns once the container runs (the end of the timed part, as for berth). */
    private void run(Path bundle, String id) throws Exception {
        live.add(id);
        // The container inherits the runtime's stdio: a pipe would keep us waiting for it to exit.
        Process run = new ProcessBuilder(oci.toString(), "--root", ROOT.toString(), "run", "-d", "--bundle",
                bundle.toString(), id).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        if (run.waitFor() != 0) {
            throw new IllegalStateException(oci.getFileName() + " run " + id + " failed: " + Files.readString(log));
        }
    }

    private void checkRunning(String id) {
        String state = Processes.run(oci.toString(), "--root", ROOT.toString(), "state", id);
        if (!RUNNING.matcher(state).find()) {
            throw new IllegalStateException("not running once " + oci.getFileName() + " returned: " + state);
        }
    }

    /** The runtime's `spec` edited to run `sleep 30` without a terminal; its rootfs/ is relative to the bundle. */
    private static Path bundle(Path oci, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("rootfs"));
        Processes.run(oci.toString(), "spec", "--bundle", dir.toString());
        JsonMapper json = JsonMapper.builder().build();
        Path file = dir.resolve("config.json");
        ObjectNode config = (ObjectNode) json.readTree(Files.readString(file));
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        process.putArray("args").add("sleep").add("30");
        Files.writeString(file, json.writeValueAsString(config));
        return dir;
    }

    /**
     * berth's config.json minus what ties it to one pod: the pinned namespaces' paths (the runtime creates those three
     * namespaces instead, the work berth's pinning does) and the cgroup path (the runtime's default, one per container,
     * gets the same resources).
     */
    private static Path equivalentBundle(Path dir, Path berthConfig) throws IOException {
        Files.createDirectories(dir.resolve("rootfs"));
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode config = (ObjectNode) json.readTree(Files.readString(berthConfig));
        ObjectNode linux = (ObjectNode) config.get("linux");
        linux.get("namespaces").forEach(namespace -> ((ObjectNode) namespace).remove("path"));
        linux.remove("cgroupsPath");
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(config));
        return dir;
    }

    /** Best effort after a failure: whatever is left must not outlive the benchmark. */
    @Override
    public void close() throws IOException {
        for (String id : List.copyOf(live)) {
            try {
                delete(id);
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        mounter.unmountAllUnder(overlay);
        mounter.unmountAllUnder(equivalent);
        FileTrees.deleteRecursively(ROOT);
    }
}
