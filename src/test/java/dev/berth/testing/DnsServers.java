package dev.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The pods' DNS servers (dnsmasq) that berth started for a run root, found by the pid file on their command line: a
 * test's node must leave none, and one a killed test left would hold the bridge's port 53 for the next.
 */
public final class DnsServers {

    private DnsServers() {}

    /** The dnsmasq processes whose pid file is under {@code runRoot}. */
    public static List<ProcessHandle> under(Path runRoot) {
        String prefix = "--pid-file=" + runRoot + "/";
        return ProcessHandle.allProcesses().filter(p -> commandLine(p).filter(line -> line.get(0).endsWith("dnsmasq")
                && line.stream().anyMatch(a -> a.startsWith(prefix))).isPresent()).toList();
    }

    /** Kills the dnsmasq processes of test run roots ({@code /run/berth-it-*}) that no longer exist. */
    public static void killOrphans() {
        ProcessHandle.allProcesses().forEach(p -> commandLine(p).ifPresent(line -> {
            Optional<String> pidFile = line.stream().filter(a -> a.startsWith("--pid-file=/run/berth-it-")).findFirst();
            if (line.get(0).endsWith("dnsmasq") && pidFile.isPresent()
                    && !Files.exists(Path.of(pidFile.get().substring("--pid-file=".length())).getParent())) {
                stop(p);
            }
        }));
    }

    /** Kills them, returning what ran: for a fixture that asserts none was left and must not leave one either. */
    public static List<String> killUnder(Path runRoot) {
        List<ProcessHandle> left = under(runRoot);
        left.forEach(DnsServers::stop);
        return left.stream().map(p -> "dnsmasq " + p.pid()).toList();
    }

    private static void stop(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().join();
    }

    private static Optional<List<String>> commandLine(ProcessHandle process) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? Optional.empty() : Optional.of(List.of(raw.split("\0")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or not ours to read
        }
    }
}
