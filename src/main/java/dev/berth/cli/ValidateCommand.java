package dev.berth.cli;

import dev.berth.pipeline.GitCacheDir;
import dev.berth.pipeline.PlanPipeline;
import dev.berth.plan.PlanReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Parse the committed manifests, check them against the schema and the policies.",
                "Exit codes: 0 valid, 1 invalid input or error, 3 denied by a policy."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    SourceOptions source;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        global.configureLogging();
        try (GitCacheDir cache = GitCacheDir.forRoot(global.root())) {
            PlanReport report = new PlanPipeline().validate(source.request(global, null, cache.path()));
            output.print(report, global.quiet);
            return ExitCodes.of(report);
        }
    }
}
