package dev.berth.doctor;

import dev.berth.core.BerthException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.OciRuntimeChoice.Preference;
import dev.berth.runtime.SeccompFilters;
import dev.berth.store.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;

/** What runs containers: the OCI runtime berth would choose and why, conmon, and the default seccomp profile. */
public final class RuntimeChecks implements CheckGroup {

    private final Preference preference;
    private final boolean root;
    private final RuntimeTrial trial;
    private final Path conmon;
    private final Path seccompProfile;
    private final Function<Path, Optional<String>> versions;

    /**
     * @param preference what the config or {@code --runtime} asks for
     * @param root       whether berth runs as root: a probe container needs it
     * @param versions   a program's version, from its {@code --version}
     */
    public RuntimeChecks(Preference preference, boolean root, RuntimeTrial trial, Path conmon, Path seccompProfile,
                         Function<Path, Optional<String>> versions) {
        this.preference = preference;
        this.root = root;
        this.trial = trial;
        this.conmon = conmon;
        this.seccompProfile = seccompProfile;
        this.versions = versions;
    }

    public static RuntimeChecks ofMachine(Preference preference, boolean root) {
        return new RuntimeChecks(preference, root, new ScratchRuntimeTrial(), ContainerRuntime.CONMON,
                SeccompFilters.FIELD_PROFILE, ProgramVersion::of);
    }

    @Override
    public String topic() {
        return "runtime";
    }

    @Override
    public List<Check> run() {
        return List.of(runtime(), conmon(), seccomp());
    }

    private Check runtime() {
        if (!root) {
            return Check.warn("runtime", "not tried: a probe container needs root", "run berth doctor as root");
        }
        OciRuntimeChoice.Choice choice;
        try {
            choice = trial.evaluate(preference);
        } catch (BerthException e) { // none installed, or not the one asked for
            return Check.error("runtime", e.getMessage(), Check.install(preference == Preference.RUNC ? "runc" : "crun"));
        }
        String chosen = choice.name() + versions.apply(choice.binary()).map(v -> " " + v).orElse("") + " ("
                + choice.binary() + ")";
        if (preference == Preference.AUTO && choice.name().equals("crun")) {
            return Check.ok("runtime", chosen + ": " + choice.reason()); // it ran the probe container already
        }
        Optional<String> failure = trial.probeFailure(choice);
        if (failure.isPresent()) {
            return preference == Preference.AUTO
                    ? Check.error("runtime", "no runtime runs containers here: " + choice.name() + " fails ("
                            + failure.get() + ") and " + choice.reason(), "the runtimes' errors say why")
                    : Check.error("runtime", chosen + ", as the config or --runtime asks, cannot run containers here ("
                            + failure.get() + ")", "runtime: auto in the config (or --runtime auto) lets berth take "
                            + "the runtime that works");
        }
        if (preference != Preference.AUTO) {
            return Check.ok("runtime", chosen + ": as the config or --runtime asks; it ran a probe container");
        }
        if (choice.reason().equals(OciRuntimeChoice.CRUN_NOT_INSTALLED)) {
            return Check.ok("runtime", chosen + ": crun is not installed (it would start containers in half runc's"
                    + " time: " + Check.install("crun") + ")");
        }
        return Check.warn("runtime", chosen + ": " + choice.reason(), choice.fix().isEmpty()
                ? "crun's error says why; runtime: runc in the config takes runc without trying crun"
                : "mount it on cgroup v1 as systemd does: " + choice.fix());
    }

    private Check conmon() {
        if (!Files.isRegularFile(conmon) || !Files.isExecutable(conmon)) {
            return Check.error("conmon", "not found at " + conmon + ": containers cannot be monitored",
                    Check.install("conmon"));
        }
        return Check.ok("conmon", conmon + " " + versions.apply(conmon).orElse("(version unknown)"));
    }

    private Check seccomp() {
        String fix = Check.install("golang-github-containers-common");
        try {
            if (!JsonFiles.JSON.readTree(Files.readAllBytes(seccompProfile)).has("syscalls")) {
                return Check.error("seccomp", seccompProfile + " is not a seccomp profile (no \"syscalls\"): pods "
                        + "with the RuntimeDefault profile (the default) fail", fix);
            }
        } catch (NoSuchFileException e) {
            return Check.error("seccomp", seccompProfile + " not found: pods with the RuntimeDefault profile (the "
                    + "default) fail", fix);
        } catch (IOException | JacksonException e) {
            return Check.error("seccomp", "cannot read " + seccompProfile + " (" + e.getMessage() + "): pods with the "
                    + "RuntimeDefault profile (the default) fail", fix);
        }
        return Check.ok("seccomp", "RuntimeDefault profile " + seccompProfile);
    }
}
