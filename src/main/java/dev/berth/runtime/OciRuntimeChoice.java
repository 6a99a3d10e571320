package dev.berth.runtime;

import dev.berth.core.BerthException;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OCI runtime runs the node's containers. crun starts a container in half runc's time, so it is preferred
 * where it works; whether it works is tried, not inferred from the cgroup mode: a probe container, once per boot,
 * the answer kept under the run root. The user may name one instead ({@code runtime:} in the config, {@code
 * --runtime}). Each runtime keeps its containers under its own root ({@code <run root>/runc}, {@code .../crun}), and
 * berth does not switch away from one while its containers exist.
 */
public final class OciRuntimeChoice {

    private static final Logger LOG = LoggerFactory.getLogger(OciRuntimeChoice.class);
    private static final List<String> DIRECTORIES = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** Why runc is chosen on a host without crun: nothing is wrong there. */
    public static final String CRUN_NOT_INSTALLED = "crun is not installed";

    /** What the user asked for. */
    public enum Preference {
        AUTO, CRUN, RUNC;

        public static Preference parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BerthException("unknown OCI runtime \"" + value + "\": expected crun, runc or auto");
            }
        }
    }

    /**
     * The runtime chosen, why, and what would let crun run here (empty when nothing is to fix): shown by {@code berth
     * doctor}, logged when crun was passed over.
     */
    public record Choice(Path binary, String reason, String fix) {
        Choice(Path binary, String reason) {
            this(binary, reason, "");
        }

        public String name() {
            return binary.getFileName().toString();
        }
    }

    /** What the run root keeps of a choice: the boot it was made in (containers do not outlive a boot). */
    record Remembered(String bootId, String binary, String reason) {}

    /** Runs a probe container with a runtime; empty when it ran, else what the runtime said. */
    interface Probe {
        Optional<String> failure(Path binary);
    }

    private final RuntimeLayout layout;
    private final Function<String, Optional<Path>> installed;
    private final Probe probe;
    private final String bootId;

    public OciRuntimeChoice(RuntimeLayout layout) {
        this(layout, OciRuntimeChoice::installed, new ProbeContainer(layout), read(BOOT_ID).strip());
    }

    OciRuntimeChoice(RuntimeLayout layout, Function<String, Optional<Path>> installed, Probe probe, String bootId) {
        this.layout = layout;
        this.installed = installed;
        this.probe = probe;
        this.bootId = bootId;
    }

    /** The runtime to use: this boot's earlier choice when it fits {@code preference}, else one made now. */
    public Choice choose(Preference preference) {
        Optional<Choice> earlier = remembered();
        if (earlier.isPresent() && (preference == Preference.AUTO || earlier.get().name().equals(name(preference)))) {
            return earlier.get();
        }
        Choice chosen = preference == Preference.AUTO ? probed() : named(name(preference));
        earlier.filter(e -> !e.name().equals(chosen.name()) && hasContainers(e.name())).ifPresent(e -> {
            throw new BerthException("the node's containers run under " + e.name() + " (" + layout.ociRoot(e.name())
                    + "): berth uses " + chosen.name() + " once they are removed (apply an empty commit) or after a"
                    + " reboot");
        });
        JsonFiles.write(layout.ociRuntimeChoice(), new Remembered(bootId, chosen.binary().toString(), chosen.reason()));
        return chosen;
    }

    /**
     * What {@code preference} would choose on this host now, tried afresh and kept nowhere (for {@code berth doctor}):
     * it says nothing of the runtime this boot's containers run under.
     */
    public Choice evaluate(Preference preference) {
        return preference == Preference.AUTO ? probed() : named(name(preference));
    }

    /**
     * Why {@code choice}'s runtime cannot run a probe container here; empty when it ran. For {@code berth doctor}: a
     * runtime named in the config, or runc chosen after crun, is taken without a probe.
     */
    public Optional<String> probeFailure(Choice choice) {
        return probe.failure(choice.binary());
    }

    /**
     * The runtime to look at containers with, choosing none: this boot's choice, else (no container was made under this
     * run root in this boot) the first installed, which lists none.
     */
    public Choice observed() {
        return remembered().or(() -> installed.apply("crun").or(() -> installed.apply("runc"))
                .map(binary -> new Choice(binary, "no container was made under " + layout.root() + " in this boot")))
                .orElseThrow(() -> new BerthException("no OCI runtime: install Debian's package crun or runc"));
    }

    /** crun if its probe container runs, else runc; why crun was passed over is logged, with the fix if there is one. */
    private Choice probed() {
        Optional<Path> crun = installed.apply("crun");
        Optional<Path> runc = installed.apply("runc");
        String passedOver = CRUN_NOT_INSTALLED;
        String fix = "";
        if (crun.isPresent()) {
            Optional<String> failure = probe.failure(crun.get());
            if (failure.isEmpty()) {
                return new Choice(crun.get(), "crun ran a probe container");
            }
            String boundToCgroup2 = boundToCgroup2();
            passedOver = "crun cannot run containers here (" + failure.get() + ")" + hybridReason(boundToCgroup2);
            fix = hybridFix(boundToCgroup2);
        }
        if (runc.isEmpty()) {
            throw new BerthException("no OCI runtime: install Debian's package crun or runc (" + passedOver + ")");
        }
        LOG.warn("using runc: {}{}", passedOver, fix.isEmpty() ? "" : ": mount it on cgroup v1 as systemd does: " + fix);
        return new Choice(runc.get(), passedOver, fix);
    }

    private Choice named(String name) {
        Path binary = installed.apply(name).orElseThrow(() -> new BerthException(name + " is not installed (looked in "
                + String.join(", ", DIRECTORIES) + "): install Debian's package " + name));
        return new Choice(binary, "asked for in the config or on the command line");
    }

    private Optional<Choice> remembered() {
        return JsonFiles.read(layout.ociRuntimeChoice(), Remembered.class)
                .filter(r -> r.bootId().equals(bootId) && Files.isExecutable(Path.of(r.binary())))
                .map(r -> new Choice(Path.of(r.binary()), r.reason()));
    }

    private boolean hasContainers(String runtime) {
        Path root = layout.ociRoot(runtime);
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new BerthException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static String name(Preference preference) {
        return preference.name().toLowerCase(Locale.ROOT);
    }

    static Optional<Path> installed(String name) {
        return DIRECTORIES.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The controllers a hybrid host's cgroup2 mount has, e.g. "hugetlb"; empty on other hosts. */
    private static String boundToCgroup2() {
        Path controllers = CgroupMode.ROOT.resolve("unified/cgroup.controllers");
        return CgroupMode.detect() == CgroupMode.HYBRID && Files.isReadable(controllers) ? read(controllers).strip() : "";
    }

    /** Why crun refuses a hybrid host; empty when no controller is bound to its cgroup2 mount. */
    static String hybridReason(String boundToCgroup2) {
        return boundToCgroup2.isEmpty() ? ""
                : "; crun refuses a hybrid host while a controller is bound to cgroup2 (here: " + boundToCgroup2 + ")";
    }

    /**
     * The fix a systemd host has made at boot: the controllers bound to cgroup2 mounted on v1, e.g. "mkdir -p
     * /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb"; empty when none is.
     *
     * @param boundToCgroup2 the controllers the hybrid host's cgroup2 mount has, e.g. "hugetlb"
     */
    public static String hybridFix(String boundToCgroup2) {
        List<String> fixes = new ArrayList<>();
        for (String controller : boundToCgroup2.strip().split("\\s+")) {
            if (!controller.isEmpty()) {
                fixes.add("mkdir -p /sys/fs/cgroup/" + controller + " && mount -t cgroup -o " + controller + " cgroup"
                        + " /sys/fs/cgroup/" + controller);
            }
        }
        return String.join("; ", fixes);
    }
}
