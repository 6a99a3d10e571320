package dev.berth.cli;

import dev.berth.client.ApiClient;
import dev.berth.core.BerthException;
import dev.berth.inspect.NodeStatus;
import dev.berth.inspect.ServerStatus;
import dev.berth.inspect.StatusJson;
import dev.berth.inspect.StatusText;
import dev.berth.store.JsonFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what the node applied last and whether it is in sync, each object's health, and the pods.",
        footerHeading = "%nExamples:%n",
        footer = {"  berth status",
                "  berth status -o json | jq -r '.pods[] | select(.status != \"Running\") | .name'",
                "  BERTH_TOKEN=$(cat /etc/berth/token) berth status --server https://node1:7420 --cacert ca.pem"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}); the JSON is described in docs/reference.md.")
    String format;

    @Option(names = "--server", paramLabel = "URL",
            description = {"Ask a running berth watch instead of reading the state root; its API token in $BERTH_TOKEN.",
                    "Adds what only the daemon knows (suspended, a refused commit, the last error); -o json prints "
                            + "its /api/v1/status: the local JSON under \"node\", the daemon's fields beside it."})
    URI server;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "With an https:// --server: trust only the CA certificates in this PEM file, not the "
                    + "system's (default: $BERTH_CACERT, else the system's).")
    Path cacert;

    @Override
    public Integer call() {
        global.configureLogging();
        if (!format.equals("text") && !format.equals("json")) {
            throw new BerthException("unknown output format \"" + format + "\" (text or json)");
        }
        System.out.print(server != null ? fromServer() : fromStateRoot());
        System.out.flush();
        return ExitCodes.OK;
    }

    private String fromStateRoot() {
        NodeServices node = new NodeServices(global, runRoot);
        // a node that never applied anything may have no state root at all: that is not an error
        NodeStatus status = Files.isDirectory(node.layout.root()) ? NodeStatus.read(node.layout, node.observer())
                : new NodeStatus(null, List.of(), List.of());
        return format.equals("json") ? StatusJson.render(status)
                : StatusText.render(status, node.layout.root(), Instant.now());
    }

    private String fromServer() {
        JsonNode body = ApiClient.fromEnvironment(server, cacert).get("/api/v1/status");
        ServerStatus status = StatusJson.parseServer(body); // also for -o json: an answer berth cannot read is an error
        return format.equals("json") ? JsonFiles.JSON.writeValueAsString(body) + "\n"
                : StatusText.render(status, server, Instant.now());
    }
}
