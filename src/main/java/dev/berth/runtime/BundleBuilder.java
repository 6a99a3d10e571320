package dev.berth.runtime;

import dev.berth.store.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an OCI bundle's {@code config.json} (runtime spec 1.0.2) for a {@link ContainerSpec}. The root filesystem
 * is {@code <bundle>/rootfs}, which the caller mounts; this class only writes the file.
 */
public final class BundleBuilder {

    static final String OCI_VERSION = "1.0.2";

    /** Docker's defaults: kernel files that leak host information or allow host changes. */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** What CRI-O grants; capped at the host's hard limit since runc may not raise it (no CAP_SYS_RESOURCE). */
    static final long WANTED_NOFILE = 1_048_576;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final long hostNofileHard;
    private final SeccompFilters seccomp;

    public BundleBuilder() {
        this(HostLimits.nofileHard(), new SeccompFilters());
    }

    BundleBuilder(long hostNofileHard, SeccompFilters seccomp) {
        this.hostNofileHard = hostNofileHard;
        this.seccomp = seccomp;
    }

    /** Writes {@code <bundle>/config.json} atomically. */
    public void write(Path bundle, ContainerSpec spec) {
        AtomicFiles.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(config(spec)));
    }

    Map<String, Object> config(ContainerSpec spec) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", OCI_VERSION);
        config.put("process", process(spec.process()));
        config.put("root", Map.of("path", "rootfs", "readonly", spec.process().readonlyRootfs()));
        if (spec.hostname() != null) { // none in the host's UTS namespace: runc would rename the host
            config.put("hostname", spec.hostname());
        }
        config.put("mounts", mounts(spec));
        config.put("linux", linux(spec));
        return config;
    }

    private Map<String, Object> process(ProcessSpec process) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("terminal", false);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("uid", process.uid());
        user.put("gid", process.gid());
        if (!process.additionalGids().isEmpty()) {
            user.put("additionalGids", process.additionalGids());
        }
        result.put("user", user);
        result.put("args", process.args());
        result.put("env", process.env());
        result.put("cwd", process.cwd());
        List<String> caps = Capabilities.resolve(process);
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("bounding", caps);
        capabilities.put("effective", caps);
        capabilities.put("permitted", caps);
        result.put("capabilities", capabilities);
        long nofile = Math.min(WANTED_NOFILE, hostNofileHard);
        result.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", nofile, "soft", nofile)));
        result.put("noNewPrivileges", process.noNewPrivileges());
        return result;
    }

    private static List<Map<String, Object>> mounts(ContainerSpec spec) {
        boolean privileged = spec.process().privileged();
        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "tmpfs", "shm",
                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", privileged ? "rw" : "ro")));
        mounts.add(mount("/sys/fs/cgroup", "cgroup", "cgroup",
                List.of("nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro")));
        for (ExtraMount extra : spec.mounts()) {
            mounts.add(mount(extra.destination(), extra.type(), extra.source(), extra.options()));
        }
        return mounts;
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        mount.put("options", options);
        return mount;
    }

    private Map<String, Object> linux(ContainerSpec spec) {
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", namespaces(spec.namespaces()));
        linux.put("cgroupsPath", spec.cgroupPath());
        linux.put("resources", resources(spec.resources()));
        ProcessSpec process = spec.process();
        if (!process.privileged()) {
            linux.put("maskedPaths", MASKED_PATHS);
            linux.put("readonlyPaths", READONLY_PATHS);
            Map<String, Object> filter = seccomp.filter(process.seccomp(), Capabilities.resolve(process));
            if (filter != null) {
                linux.put("seccomp", filter);
            }
        }
        return linux;
    }

    private static List<Map<String, Object>> namespaces(SharedNamespaces shared) {
        List<Map<String, Object>> namespaces = new ArrayList<>();
        if (!shared.hostPid()) {
            namespaces.add(Map.of("type", "pid"));
        }
        namespaces.add(namespace("network", shared.network()));
        namespaces.add(namespace("ipc", shared.ipc()));
        namespaces.add(namespace("uts", shared.uts()));
        namespaces.add(Map.of("type", "mount"));
        namespaces.add(Map.of("type", "cgroup"));
        return namespaces;
    }

    private static Map<String, Object> namespace(String type, Path pinned) {
        return pinned == null ? Map.of("type", type) : Map.of("type", type, "path", pinned.toString());
    }

    private static Map<String, Object> resources(Resources limits) {
        Map<String, Object> resources = new LinkedHashMap<>();
        // deny every device node; runc then allows its own safe defaults (null, zero, random, tty, ...)
        resources.put("devices", List.of(Map.of("allow", false, "access", "rwm")));
        if (limits.memoryLimitBytes() > 0) {
            resources.put("memory", Map.of("limit", limits.memoryLimitBytes()));
        }
        Map<String, Object> cpu = new LinkedHashMap<>();
        if (limits.cpuShares() > 0) {
            cpu.put("shares", limits.cpuShares());
        }
        if (limits.cpuQuotaMicros() > 0) {
            cpu.put("quota", limits.cpuQuotaMicros());
            cpu.put("period", limits.cpuPeriodMicros() > 0 ? limits.cpuPeriodMicros() : 100_000L);
        }
        if (!cpu.isEmpty()) {
            resources.put("cpu", cpu);
        }
        if (limits.pidsLimit() > 0) {
            resources.put("pids", Map.of("limit", limits.pidsLimit()));
        }
        return resources;
    }
}
