package dev.berth.cli;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import dev.berth.core.SourceLocation;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.manifest.ManifestLoader;
import dev.berth.node.ConfigSource;
import dev.berth.node.ForegroundPod;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

@Command(name = "run-pod", mixinStandardHelpOptions = true,
        description = {"Run one Pod in the foreground, like `docker run --rm`, for debugging: pull what is missing, "
                + "stream the containers' output, remove the pod when every container has exited (Ctrl-C stops them).",
                "The file may also hold the ConfigMaps and Secrets the pod uses.",
                "Exit code: the first non-zero exit code of the containers, else 0; 1 when the pod cannot start."})
final class RunPodCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(100);

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "FILE", description = "A YAML file with one Pod.")
    Path file;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Override
    public Integer call() throws InterruptedException {
        global.configureLogging();
        DesiredState loaded = load(file);
        Pod pod = (Pod) onePod(loaded, file).typed();
        NodeServices node = new NodeServices(global, runRoot);
        ContainerRuntime containers = node.containers();
        containers.cleanupOrphans(); // what a crashed run left half-created: its mounts and bundles
        PodRuntime pods = node.pods(new ImageServices(global), containers);
        // Ctrl-C or SIGTERM stop the containers (grace period, then SIGKILL); the pod is then removed as usual.
        AtomicBoolean stopRequested = new AtomicBoolean();
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), signal -> stopRequested.set(true));
        }
        Duration grace = Duration.ofSeconds(pod.getSpec().getTerminationGracePeriodSeconds());
        // every container's lines carry its name once the pod has several, init containers included
        boolean prefix = orEmpty(pod.getSpec().getInitContainers()).size() + pod.getSpec().getContainers().size() > 1;
        ForegroundPod running;
        try {
            running = ForegroundPod.start(pods, pod, new ConfigSource(loaded), (name, id) -> {
                LogStreamer init = new LogStreamer(Map.of(name, pods.status(id).logPath()), prefix);
                return awaitWhileStreaming(pods, id, init, () -> {
                    if (stopRequested.getAndSet(false)) {
                        pods.stopContainer(id, grace);
                    }
                });
            });
        } catch (ForegroundPod.InitContainerFailed e) {
            System.err.println("berth: " + e.getMessage());
            return e.exitCode();
        }
        Runnable stopIfAsked = () -> {
            if (stopRequested.getAndSet(false)) {
                running.stop(grace);
            }
        };
        try {
            Map<String, Path> logs = new LinkedHashMap<>();
            running.containers().forEach((name, id) -> logs.put(name, pods.status(id).logPath()));
            LogStreamer streamer = new LogStreamer(logs, prefix);
            int exitCode = 0;
            for (Map.Entry<String, String> c : running.containers().entrySet()) {
                ContainerStatus done = awaitWhileStreaming(pods, c.getValue(), streamer, stopIfAsked);
                if (done.oomKilled()) {
                    System.err.println("berth: container " + c.getKey() + " was OOMKilled");
                }
                if (exitCode == 0 && done.exitCode() != 0) {
                    exitCode = done.exitCode();
                }
            }
            return exitCode;
        } finally {
            running.remove();
        }
    }

    private static DesiredState load(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return new ManifestLoader().loadFiles(new DirectoryTreeReader(absolute.getParent()),
                List.of(absolute.getFileName().toString()), null);
    }

    private static Manifest onePod(DesiredState loaded, Path path) {
        List<Manifest> pods = loaded.manifests().stream().filter(m -> m.key().kind().equals("Pod")).toList();
        if (pods.size() != 1) {
            throw new InvalidInputException(SourceLocation.of(path.toString()),
                    "expected exactly one Pod, found " + pods.size());
        }
        return pods.get(0);
    }

    private static ContainerStatus awaitWhileStreaming(PodRuntime pods, String id, LogStreamer streamer,
                                                       Runnable stopIfAsked) throws InterruptedException {
        while (true) {
            stopIfAsked.run();
            streamer.pump();
            ContainerStatus status = pods.status(id);
            if (status.exitCode() != null) {
                streamer.pump(); // its last lines, written as it exited, before anything said about it
                return status;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
