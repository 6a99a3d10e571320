package dev.berth.cli;

import dev.berth.core.BerthException;
import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.StatusJson;
import dev.berth.inspect.StatusText;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what the node applied last and whether it is in sync, each object's health, and the pods.",
        footerHeading = "%nExamples:%n",
        footer = {"  berth status",
                "  berth status -o json | jq -r '.pods[] | select(.status != \"Running\") | .name'"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}); the JSON is described in the README.")
    String format;

    @Override
    public Integer call() {
        global.configureLogging();
        if (!format.equals("text") && !format.equals("json")) {
            throw new BerthException("unknown output format \"" + format + "\" (text or json)");
        }
        NodeServices node = new NodeServices(global, runRoot);
        // a node that never applied anything may have no state root at all: that is not an error
        NodeStatus status = Files.isDirectory(node.layout.root()) ? NodeStatus.read(node.layout, node.observer())
                : new NodeStatus(null, List.of(), List.of());
        System.out.print(format.equals("json") ? StatusJson.render(status)
                : StatusText.render(status, node.layout.root(), Instant.now()));
        System.out.flush();
        return ExitCodes.OK;
    }
}
