package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.inspect.HistoryView;
import dev.berth.store.StateLayout;
import dev.berth.sync.History;
import dev.berth.sync.HistoryEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the node's applies, newest first: revision, when, result, changes and message.",
        footerHeading = "%nExamples:%n",
        footer = {"  berth history -n 5", "  berth history -o json | jq -r '.history[0].revision'"})
final class HistoryCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Only the newest N (default: all that are kept).")
    Integer limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        global.configureLogging();
        if (!format.equals("text") && !format.equals("json")) {
            throw new BerthException("unknown output format \"" + format + "\" (text or json)");
        }
        if (limit != null && limit < 1) {
            throw new BerthException("-n must be at least 1, not " + limit);
        }
        List<HistoryEntry> all = new History(new StateLayout(global.root())).list();
        List<HistoryEntry> shown = HistoryView.newest(all, limit == null ? all.size() : limit);
        System.out.print(format.equals("json") ? HistoryView.json(shown) : HistoryView.text(shown));
        System.out.flush();
        return ExitCodes.OK;
    }
}
