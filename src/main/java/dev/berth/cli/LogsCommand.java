package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.inspect.ContainerView;
import dev.berth.inspect.PodLookup;
import dev.berth.node.PodObserver;
import dev.berth.node.PodRecord;
import dev.berth.node.PodRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.RuntimeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of a container in a pod, as kubectl logs does.",
        footerHeading = "%nExamples:%n",
        footer = {"  berth logs worker", "  berth logs -n shop web-7d9f8c-x2x4q -c httpd --tail 20 -f",
                "  berth logs -n shop worker --previous"})
final class LogsCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    @Mixin
    GlobalOptions global;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default",
            description = "The pod's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Parameters(paramLabel = "POD", description = "The pod's name; when a replaced pod shares it, the newest.")
    String pod;

    @Option(names = {"-c", "--container"}, paramLabel = "CONTAINER",
            description = "The container; needed when the pod has several.")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the container exits (or Ctrl-C).")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "-1",
            description = "Only the last N lines (default: ${DEFAULT-VALUE}, all).")
    int tail;

    @Option(names = {"-p", "--previous"}, description = "The run before the last restart.")
    boolean previous;

    @Option(names = "--timestamps", description = "Each line after its time (RFC 3339, nanoseconds).")
    boolean timestamps;

    @Override
    public Integer call() throws InterruptedException {
        global.configureLogging();
        NodeServices node = new NodeServices(global, runRoot);
        PodObserver observer = node.observer();
        PodRecord record = PodLookup.find(observer.records(), namespace, pod);
        String name = PodLookup.container(record, container);
        Path logs = observer.podDir(record.id()).resolve("logs");
        Path log = logs.resolve(name + (previous ? ".previous.log" : ".log"));
        if (!Files.exists(log)) {
            throw previous
                    ? new BerthException("previous terminated container \"" + name + "\" in pod \"" + record.name()
                            + "\" not found")
                    : new BerthException("container \"" + name + "\" in pod \"" + record.name()
                            + "\" is waiting to start: " + waitingReason(observer, record, name));
        }
        LogStreamer streamer = LogStreamer.kubectl(name, log, timestamps);
        if (tail >= 0) {
            streamer.tail(name, tail);
        }
        streamer.pump();
        if (follow && !previous) {
            String id = PodRuntime.containerId(record.id(), name);
            while (running(node.containers(), id)) {
                Thread.sleep(POLL.toMillis());
                streamer.pump();
            }
            streamer.pump(); // what it wrote as it exited
        }
        return ExitCodes.OK;
    }

    private static boolean running(ContainerRuntime containers, String id) {
        try {
            return containers.state(id).status() != RuntimeState.Status.STOPPED;
        } catch (ContainerException e) {
            return false; // removed: it will not write again
        }
    }

    private static String waitingReason(PodObserver observer, PodRecord record, String name) {
        return ContainerView.of(observer.observe(record)).stream().filter(c -> c.name().equals(name))
                .map(c -> c.state().reason()).filter(Objects::nonNull).findFirst()
                .orElse("ContainerCreating");
    }
}
