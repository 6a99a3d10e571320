package dev.berth.cli;

import dev.berth.pipeline.GitCacheDir;
import dev.berth.pipeline.PlanPipeline;
import dev.berth.plan.PlanReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what applying the committed manifests would change, without changing anything.",
                "Exit codes: 0 no changes, 2 changes, 1 invalid input or error, 3 denied by a policy."})
final class PlanCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    SourceOptions source;

    @Mixin
    OutputOptions output;

    @Option(names = "--against", paramLabel = "WHAT",
            description = {"What to compare with: empty, state:DIR (a node's state root), ref:REF (the same repository at "
                    + "another ref) or server:URL (a running berth watch).",
                    "Default: state:<root> when the state root holds state, else empty."})
    String against;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "With --against server:https://...: trust only the CA certificates in this PEM file, not the "
                    + "system's (default: $BERTH_CACERT, else the system's).")
    Path cacert;

    @Override
    public Integer call() {
        global.configureLogging();
        try (GitCacheDir cache = GitCacheDir.forRoot(global.root())) {
            PlanReport report = new PlanPipeline().plan(source.request(global, against, cache.path()).withServerCa(cacert));
            output.print(report, global.quiet);
            return ExitCodes.of(report);
        }
    }
}
