package dev.berth.cli;

import dev.berth.node.NodeReconciler;
import dev.berth.node.PodRuntime;
import dev.berth.pipeline.GitCacheDir;
import dev.berth.pipeline.PlanRequest;
import dev.berth.sync.Applier;
import dev.berth.sync.ApplyLock;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the verbs that converge the node (apply, rollback, resume), and the one way they run. */
final class ConvergeOptions {

    @Option(names = "--wait", description = "Also wait until every workload is healthy (rollouts finished, pods ready).")
    boolean waitForHealth;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up converging after this long, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Mixin
    OutputOptions output;

    /** Locks the state root, builds the node, applies the request {@code request} makes from the git cache dir. */
    int run(GlobalOptions global, boolean rollback, Function<java.nio.file.Path, PlanRequest> request)
            throws InterruptedException {
        global.configureLogging();
        try (ApplyLock lock = ApplyLock.acquire(global.root());
             GitCacheDir cache = GitCacheDir.forRoot(global.root())) {
            NodeServices node = new NodeServices(global, runRoot);
            PodRuntime pods = node.pods(new ImageServices(global), node.containers());
            try (NodeReconciler reconciler = node.reconciler(global, pods)) {
                Applier applier = new Applier(node.layout, reconciler, line -> {
                    if (!global.quiet) {
                        System.err.println("berth: " + line);
                    }
                });
                Applier.Outcome outcome = applier.apply(request.apply(cache.path()),
                        new Applier.Options(waitForHealth, timeout, rollback, false));
                return ApplyOutput.print(outcome, output, global.quiet);
            }
        }
    }
}
