package dev.berth.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Resolves a process's capability set: Docker's defaults, plus additions, minus drops ("ALL" allowed in both). */
final class Capabilities {

    /** What Docker and containerd grant by default: enough for typical images, nothing that reaches the host. */
    static final List<String> DEFAULT = List.of("CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP",
            "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");

    /** Every capability of Linux 5.9+, for "ALL" and privileged containers. */
    static final List<String> ALL = List.of("CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE",
            "CAP_BLOCK_SUSPEND", "CAP_BPF", "CAP_CHECKPOINT_RESTORE", "CAP_CHOWN", "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_KILL",
            "CAP_LEASE", "CAP_LINUX_IMMUTABLE", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD", "CAP_NET_ADMIN",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_PERFMON", "CAP_SETFCAP",
            "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT",
            "CAP_SYS_MODULE", "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO",
            "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_SYSLOG", "CAP_WAKE_ALARM");

    private Capabilities() {}

    /** The sorted set for {@code process}. As in Docker, drops apply first ("ALL" empties the set), then adds. */
    static List<String> resolve(ProcessSpec process) {
        if (process.privileged()) {
            return ALL;
        }
        List<String> drops = normalise(process.capDrop());
        TreeSet<String> caps = new TreeSet<>(drops.contains("CAP_ALL") ? List.of() : DEFAULT);
        caps.removeAll(drops);
        for (String add : normalise(process.capAdd())) {
            caps.addAll(add.equals("CAP_ALL") ? ALL : List.of(add));
        }
        return List.copyOf(caps);
    }

    private static List<String> normalise(List<String> names) {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            String full = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!full.equals("CAP_ALL") && !ALL.contains(full)) {
                throw new IllegalArgumentException("unknown capability: " + name);
            }
            result.add(full);
        }
        return result;
    }
}
