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
 * The baselines for pod start: a bare {@code runc run -d} of a busybox {@code sleep 30} bundle made by
 * {@code runc spec}, with the rootfs either copied once or overlay-mounted over the image's layer per run; and
 * the equivalent bundle: the {@code config.json} berth wrote for the same pod (its mounts, masked paths,
 * capabilities, cgroup resources, cgroup namespace) on an overlay, with runc making the network, IPC and UTS
 * namespaces that berth pins beforehand. stdin is /dev/null, stdout is discarded, no terminal, as under conmon.
 */
final class BareRunc implements AutoCloseable {

    private static final Path ROOT = Path.of("/run/berth-bench-runc");
    private static final Path RUNC = new dev.berth.runtime.OciRuntimeChoice(new dev.berth.runtime.RuntimeLayout(ROOT))
            .choose(dev.berth.runtime.OciRuntimeChoice.Preference.AUTO).binary();
    private static final Pattern RUNNING = Pattern.compile("\"status\":\\s*\"running\"");

    private final Path copied;
    private final Path overlay;
    private final Path equivalent;
    private final Path lower;
    private final Path log;
    private final Path monitors;
    private final Mounter mounter = new Mounter();
    private final List<String> live = new ArrayList<>();

    /** @param berthConfig the config.json berth wrote for a container of the benchmark's pod */
    BareRunc(Path dir, Path layerFs, Path berthConfig) throws IOException {
        log = Files.createDirectories(dir).resolve("runc.err");
        monitors = Files.createDirectories(dir.resolve("conmon"));
        lower = layerFs;
        copied = bundle(dir.resolve("copied"));
        Processes.run("cp", "-a", layerFs + "/.", copied.resolve("rootfs").toString());
        overlay = bundle(dir.resolve("overlay"));
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
     * Like {@link #runEquivalent}, through what berth runs, without berth: conmon running {@code runc create} (the pid
     * file tells its end), then {@code runc start}, in ns. The floor for any runtime that keeps exit codes and logs
     * with conmon and drives runc through its create/start commands.
     */
    long runMonitored(String id) throws Exception {
        long start = System.nanoTime();
        Path upper = Files.createDirectories(equivalent.resolve("layers").resolve(id).resolve("upper"));
        Path work = Files.createDirectories(upper.resolveSibling("work"));
        Processes.run("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, equivalent.resolve("rootfs").toString());
        live.add(id);
        Path files = Files.createDirectories(monitors.resolve(id));
        Path pidFile = files.resolve("pid");
        Process conmon = new ProcessBuilder("conmon", "--api-version", "1", "-c", id, "-u", id, "-n", id,
                "-r", RUNC.toString(), "-b", equivalent.toString(), "-p", pidFile.toString(),
                "-P", files.resolve("conmon.pid").toString(), "-l", "k8s-file:" + files.resolve("log"),
                "--exit-dir", files.toString(), "-0", files.toString(), "--socket-dir-path", files.toString(),
                "--runtime-arg", "--root=" + ROOT)
                .directory(files.toFile()).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        if (conmon.waitFor() != 0) {
            throw new IllegalStateException("conmon " + id + " failed: " + Files.readString(log));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(pidFile) || Files.size(pidFile) == 0) { // runc renames it into place, whole
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runc create " + id + " did not finish: " + Files.readString(log));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        Process runcStart = new ProcessBuilder("runc", "--root", ROOT.toString(), "start", id)
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        if (runcStart.waitFor() != 0) {
            throw new IllegalStateException("runc start " + id + " failed: " + Files.readString(log));
        }
        long nanos = System.nanoTime() - start;
        checkRunning(id);
        return nanos;
    }

    /** runc delete --force, then the overlays (if any) and their upper dirs, and conmon's files once it is gone. */
    void delete(String id) throws IOException {
        Processes.run("runc", "--root", ROOT.toString(), "delete", "--force", id);
        live.remove(id);
        Path exitFile = monitors.resolve(id).resolve(id);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.isDirectory(monitors.resolve(id)) && !Files.exists(exitFile) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // conmon writes it as it leaves
        }
        FileTrees.deleteRecursively(monitors.resolve(id));
        for (Path bundle : List.of(overlay, equivalent)) {
            mounter.unmountAllUnder(bundle.resolve("rootfs"));
            FileTrees.deleteRecursively(bundle.resolve("layers").resolve(id));
        }
    }

    /** {@code runc run -d}, which returns once the container runs (the end of the timed part, as for berth). */
    private void run(Path bundle, String id) throws Exception {
        live.add(id);
        // The container inherits runc's stdio: a pipe would keep us waiting for it to exit.
        Process runc = new ProcessBuilder("runc", "--root", ROOT.toString(), "run", "-d", "--bundle", bundle.toString(), id)
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        if (runc.waitFor() != 0) {
            throw new IllegalStateException("runc run " + id + " failed: " + Files.readString(log));
        }
    }

    private static void checkRunning(String id) {
        String state = Processes.run("runc", "--root", ROOT.toString(), "state", id);
        if (!RUNNING.matcher(state).find()) {
            throw new IllegalStateException("not running once runc run -d returned: " + state);
        }
    }

    /** `runc spec` edited to run `sleep 30` without a terminal; its rootfs/ is relative to the bundle. */
    private static Path bundle(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("rootfs"));
        Processes.run("runc", "spec", "--bundle", dir.toString());
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
     * berth's config.json minus what ties it to one pod: the pinned namespaces' paths (runc creates those three
     * namespaces instead, the work berth's pinning does) and the cgroup path (runc's default, one per container,
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
