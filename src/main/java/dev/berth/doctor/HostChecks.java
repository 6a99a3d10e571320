package dev.berth.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Who runs berth, and the kernel: its version, overlayfs, and the namespaces containers are made of. */
public final class HostChecks implements CheckGroup {

    /** openat2(2), which opens a volume's subPath without following links, came in Linux 5.6. */
    private static final int[] SUBPATH_KERNEL = {5, 6};
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+).*");
    /** The namespaces every pod has, by their names under /proc/self/ns, and as people call them. */
    private static final Map<String, String> NAMESPACES = new LinkedHashMap<>();

    static {
        NAMESPACES.put("pid", "pid");
        NAMESPACES.put("mnt", "mount");
        NAMESPACES.put("net", "network");
        NAMESPACES.put("ipc", "ipc");
        NAMESPACES.put("uts", "uts");
    }

    private final Path proc;
    private final Path modules;
    private final int uid;

    /**
     * @param proc    /proc, or a tree laid out like it
     * @param modules /lib/modules, where a kernel's loadable modules are
     * @param uid     the user berth runs as
     */
    public HostChecks(Path proc, Path modules, int uid) {
        this.proc = proc;
        this.modules = modules;
        this.uid = uid;
    }

    public static HostChecks ofMachine(int uid) {
        return new HostChecks(Path.of("/proc"), Path.of("/lib/modules"), uid);
    }

    @Override
    public String topic() {
        return "kernel";
    }

    @Override
    public List<Check> run() {
        String release = read(proc.resolve("sys/kernel/osrelease")).orElse("").strip();
        return List.of(root(), kernel(release), overlayfs(release), namespaces(), userNamespaces());
    }

    private Check root() {
        return uid == 0 ? Check.ok("root", "running as root")
                : Check.error("root", "running as uid " + uid + ": berth mounts, makes namespaces and cgroups, and "
                        + "runs containers as root", "run it as root (sudo berth ...)");
    }

    private static Check kernel(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.matches()) {
            return Check.warn("kernel", "cannot tell the kernel's version (\"" + release + "\")",
                    "check that /proc is mounted");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < SUBPATH_KERNEL[0] || major == SUBPATH_KERNEL[0] && minor < SUBPATH_KERNEL[1]) {
            return Check.warn("kernel", "Linux " + release + ": pods whose volumes have a subPath fail, as they need "
                    + "openat2 (Linux 5.6)", "upgrade the kernel (Debian 12 has 6.1)");
        }
        return Check.ok("kernel", "Linux " + release);
    }

    /** Listed once loaded; else the module is loaded by the first overlay mount, as long as it is installed. */
    private Check overlayfs(String release) {
        boolean listed = read(proc.resolve("filesystems")).orElse("").lines()
                .anyMatch(line -> List.of(line.strip().split("\\s+")).contains("overlay")); // "nodev<TAB>overlay"
        if (listed) {
            return Check.ok("overlayfs", "overlay in /proc/filesystems");
        }
        Path module = modules.resolve(release).resolve("kernel/fs/overlayfs");
        if (hasModule(module)) {
            return Check.ok("overlayfs", "module overlay (" + module + "), loaded by the first mount");
        }
        return Check.error("overlayfs", "the kernel has no overlayfs: images' layers cannot be mounted",
                "modprobe overlay, or boot a kernel built with CONFIG_OVERLAY_FS");
    }

    private Check namespaces() {
        List<String> missing = new ArrayList<>();
        NAMESPACES.forEach((file, name) -> {
            if (!Files.exists(proc.resolve("self/ns").resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            return Check.error("namespaces", "the kernel has no " + String.join(", ", missing) + " namespaces: "
                    + "containers cannot run", "boot a kernel built with CONFIG_NAMESPACES and each CONFIG_*_NS");
        }
        return Check.ok("namespaces", String.join(", ", NAMESPACES.values()));
    }

    /** berth runs pods in the host's user namespace (hostUsers: false is refused): off is a fact, not a fault. */
    private Check userNamespaces() {
        boolean built = Files.exists(proc.resolve("self/ns/user"), LinkOption.NOFOLLOW_LINKS);
        String max = read(proc.resolve("sys/user/max_user_namespaces")).orElse("").strip();
        if (built && !max.isEmpty() && !max.equals("0")) {
            return Check.ok("user-ns", "enabled (user.max_user_namespaces " + max + "); berth's pods run in the "
                    + "host's user namespace");
        }
        return Check.ok("user-ns", (built ? "off (user.max_user_namespaces 0)" : "not in this kernel")
                + "; berth's pods run in the host's user namespace, so none is needed");
    }

    private static boolean hasModule(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("overlay.ko"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A stream, not {@link Files#readString}: that reads a file /proc gives as empty one byte first, and an integer
     * sysctl then reads as its first digit ("9" for 96369).
     */
    private static Optional<String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
