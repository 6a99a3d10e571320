package dev.berth.cli;

import dev.berth.node.NodeReconciler;
import dev.berth.pipeline.GitCacheDir;
import dev.berth.sync.Applier;
import dev.berth.sync.ApplyLock;
import dev.berth.node.PodRuntime;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Converge this node to the committed manifests: plan against what the node has applied, refuse "
                + "invalid or denied input without touching anything, then create, replace and prune in order.",
                "Exit codes: 0 applied (and healthy, with --wait), 1 invalid input or not converged, 3 denied by a policy."},
        footer = {"", "Examples:",
                "  berth apply --repo https://git.example.com/ops/node.git --path manifests --policies /etc/berth/policies",
                "  berth apply --repo . --wait --timeout 2m"})
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    SourceOptions source;

    @Mixin
    OutputOptions output;

    @Option(names = "--wait", description = "Also wait until every workload is healthy (rollouts finished, pods ready).")
    boolean waitForHealth;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up converging after this long, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Override
    public Integer call() throws InterruptedException {
        global.configureLogging();
        try (ApplyLock lock = ApplyLock.acquire(global.root());
             GitCacheDir cache = GitCacheDir.forRoot(global.root())) {
            NodeServices node = new NodeServices(global, runRoot);
            PodRuntime pods = node.pods(new ImageServices(global), node.containers());
            try (NodeReconciler reconciler = node.reconciler(global, pods)) {
                Applier applier = new Applier(node.layout, reconciler, line -> progress(line));
                Applier.Outcome outcome = applier.apply(source.request(global, "state:" + global.root(), cache.path()),
                        new Applier.Options(waitForHealth, timeout, false));
                return ApplyOutput.print(outcome, output, global.quiet);
            }
        }
    }

    private void progress(String line) {
        if (!global.quiet) {
            System.err.println("berth: " + line);
        }
    }
}
