package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    ConvergeOptions converge;

    @Override
    public Integer call() throws InterruptedException {
        return converge.run(global, false, cache -> source.request(global, "state:" + global.root(), cache));
    }
}
