package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.inspect.PodDescription;
import dev.berth.inspect.PodLookup;
import dev.berth.node.PodEvents;
import dev.berth.node.PodObserver;
import dev.berth.node.PodRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a pod in detail, as kubectl describe pod does: containers, conditions, volumes, events.",
        footerHeading = "%nExamples:%n",
        footer = {"  berth describe pod -n shop web-7d9f8c-x2x4q", "  berth describe pod/worker"})
final class DescribeCommand implements Callable<Integer> {

    private static final List<String> POD = List.of("pod", "pods", "po");

    @Mixin
    GlobalOptions global;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default",
            description = "The pod's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Parameters(index = "0", paramLabel = "TYPE", description = "pod (berth describes pods only), or pod/NAME.")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The pod's name.")
    String name;

    @Override
    public Integer call() {
        global.configureLogging();
        String podName = name;
        String kind = type;
        if (type.contains("/")) {
            kind = type.substring(0, type.indexOf('/'));
            podName = type.substring(type.indexOf('/') + 1);
        }
        if (!POD.contains(kind)) {
            throw new BerthException("berth describe knows pods only, not \"" + kind + "\"");
        }
        if (podName == null || podName.isEmpty()) {
            throw new BerthException("which pod? berth describe pod NAME");
        }
        PodObserver observer = new NodeServices(global, runRoot).observer();
        PodRecord record = PodLookup.find(observer.records(), namespace, podName);
        System.out.print(PodDescription.render(observer.observe(record), PodEvents.read(observer.podDir(record.id())),
                Instant.now(), ZoneId.systemDefault()));
        System.out.flush();
        return ExitCodes.OK;
    }
}
