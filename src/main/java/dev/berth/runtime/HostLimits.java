package dev.berth.runtime;

import dev.berth.core.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's hard resource limits: runc fails to create a container that asks for more than these. */
final class HostLimits {

    private HostLimits() {}

    /** The hard "Max open files" limit of this process, from /proc/self/limits. */
    static long nofileHard() {
        try {
            return nofileHard(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            throw new BerthException("cannot read /proc/self/limits: " + e.getMessage(), e);
        }
    }

    /** Parses the text of a limits file; "unlimited" is {@link Long#MAX_VALUE}. */
    static long nofileHard(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return "unlimited".equals(fields[1]) ? Long.MAX_VALUE : Long.parseLong(fields[1]);
            }
        }
        throw new BerthException("no \"Max open files\" line in /proc/self/limits");
    }
}
