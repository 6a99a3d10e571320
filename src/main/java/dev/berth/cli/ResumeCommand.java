package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.git.GitCredentials;
import dev.berth.pipeline.PlanRequest;
import dev.berth.store.StateLayout;
import dev.berth.sync.SyncState;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Unpin a node pinned by `berth rollback` and apply its source (repository, ref, path) again.",
                "Exit codes as for apply."},
        footer = {"", "Example:", "  berth resume --wait"})
final class ResumeCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Local directory of policies (default: the config's source.policies; none if unset).")
    Path policies;

    @Mixin
    ConvergeOptions converge;

    @Override
    public Integer call() throws InterruptedException {
        StateLayout layout = new StateLayout(global.root());
        SyncState state = SyncState.read(layout)
                .orElseThrow(() -> new BerthException("nothing applied yet on " + global.root() + ": nothing to resume"));
        state.withPinnedOver(null).write(layout);
        Path policyDir = policies != null ? policies : global.config().source().policies();
        return converge.run(global, false, cache -> new PlanRequest(state.repo(), state.ref(), state.path(), policyDir,
                "state:" + global.root(), global.root(), cache, GitCredentials.fromEnvironment(System.getenv()),
                global.config().source().verify(), global.config().source().allowEmpty()));
    }
}
