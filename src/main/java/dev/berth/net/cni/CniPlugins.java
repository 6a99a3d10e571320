package dev.berth.net.cni;

import dev.berth.core.BerthException;
import dev.berth.runtime.Command;
import dev.berth.store.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs CNI plugins by the CNI protocol: the {@code CNI_*} environment, the plugin's config on stdin, its result (or
 * its error) as JSON on stdout. Each call has a deadline, after which the plugin is killed.
 */
final class CniPlugins {

    /** What every call for one pod has in common: {@code CNI_CONTAINERID}, {@code CNI_NETNS}, ... */
    record Call(String containerId, String netns, String ifName, String args) {}

    private final List<Path> binDirs;
    private final Duration deadline;

    CniPlugins(List<Path> binDirs, Duration deadline) {
        this.binDirs = List.copyOf(binDirs);
        this.deadline = deadline;
    }

    /** The plugin's program in the first directory that has it. */
    Path find(String type) {
        for (Path dir : binDirs) {
            Path program = dir.resolve(type);
            if (Files.isRegularFile(program) && Files.isExecutable(program)) {
                return program;
            }
        }
        throw new BerthException("CNI plugin \"" + type + "\" not found in " + binDirs.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + " (network.cniBinDirs): install Debian's package"
                + " containernetworking-plugins");
    }

    /**
     * Runs {@code command} (ADD, DEL or CHECK) of the plugin {@code config} names; returns its result for ADD, null
     * otherwise. A failure throws with the plugin's own message.
     */
    JsonNode run(String command, ObjectNode config, Call call) {
        String type = config.get("type").asString();
        Path program = find(type);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netns());
        env.put("CNI_IFNAME", call.ifName());
        env.put("CNI_ARGS", call.args());
        env.put("CNI_PATH", binDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
        Command.Result result;
        try {
            result = Command.run(List.of(program.toString()), env, JsonFiles.JSON.writeValueAsBytes(config), deadline);
        } catch (BerthException e) {
            throw new BerthException("CNI plugin " + type + " " + command + ": " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new BerthException("CNI plugin " + type + " " + command + " failed: " + error(result));
        }
        if (!command.equals("ADD")) {
            return null;
        }
        try {
            JsonNode parsed = JsonFiles.JSON.readTree(result.stdout());
            if (!parsed.isObject()) {
                throw new BerthException("CNI plugin " + type + " ADD returned no result object: " + result.stdout());
            }
            return parsed;
        } catch (JacksonException e) {
            throw new BerthException("CNI plugin " + type + " ADD returned no JSON result: " + result.stdout().strip());
        }
    }

    /** The spec's error object ({@code code}, {@code msg}, {@code details}) as one line, else what it printed. */
    private static String error(Command.Result result) {
        try {
            JsonNode error = JsonFiles.JSON.readTree(result.stdout());
            if (error.hasNonNull("msg")) {
                String details = error.path("details").asString("");
                return error.get("msg").asString() + (details.isEmpty() ? "" : ": " + details)
                        + " (code " + error.path("code").asInt() + ")";
            }
        } catch (JacksonException e) {
            // not the spec's error object: what it wrote says more than nothing
        }
        String said = (result.stdout() + " " + result.stderr()).strip();
        return "exit code " + result.exitCode() + (said.isEmpty() ? "" : ": " + said);
    }
}
