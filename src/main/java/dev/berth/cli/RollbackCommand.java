package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.git.GitCredentials;
import dev.berth.pipeline.PlanRequest;
import dev.berth.sync.History;
import dev.berth.sync.HistoryEntry;
import dev.berth.sync.SyncState;
import dev.berth.store.StateLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Apply the manifests of an earlier applied revision and pin the node to it: applies of the same "
                + "source commit leave the node there until a new commit arrives or `berth resume`.",
                "Exit codes as for apply."},
        footer = {"", "Examples:",
                "  berth rollback              # the revision applied before the current one",
                "  berth rollback 3f9c2a1      # a revision from `berth history`"})
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REVISION", arity = "0..1",
            description = "A commit from `berth history` (default: the one applied before the current one).")
    String revision;

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Local directory of policies (default: the config's source.policies; none if unset).")
    Path policies;

    @Mixin
    ConvergeOptions converge;

    @Override
    public Integer call() throws InterruptedException {
        StateLayout layout = new StateLayout(global.root());
        SyncState state = SyncState.read(layout)
                .orElseThrow(() -> new BerthException("nothing applied yet on " + global.root() + ": nothing to roll back"));
        String target = revision != null ? revision : previous(new History(layout).list(), state.revision());
        Path policyDir = policies != null ? policies : global.config().source().policies();
        return converge.run(global, true, cache -> new PlanRequest(state.repo(), target, state.path(), policyDir,
                "state:" + global.root(), global.root(), cache, GitCredentials.fromEnvironment(System.getenv()),
                global.config().source().verify(), global.config().source().allowEmpty()));
    }

    /** The newest successfully applied revision other than the current one. */
    private static String previous(List<HistoryEntry> history, String current) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry e = history.get(i);
            if (e.result().equals("Synced") && e.revision() != null && !e.revision().equals(current)) {
                return e.revision();
            }
        }
        throw new BerthException("no earlier applied revision in the history to roll back to");
    }
}
