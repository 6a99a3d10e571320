package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.config.BerthConfig;
import dev.berth.core.BerthException;
import dev.berth.doctor.ApiChecks;
import dev.berth.doctor.CgroupChecks;
import dev.berth.doctor.ConfigChecks;
import dev.berth.doctor.Doctor;
import dev.berth.doctor.HostChecks;
import dev.berth.doctor.LoadedConfig;
import dev.berth.doctor.NetworkChecks;
import dev.berth.doctor.Report;
import dev.berth.doctor.RuntimeChecks;
import dev.berth.doctor.SourceChecks;
import dev.berth.doctor.StorageChecks;
import dev.berth.runtime.OciRuntimeChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this node for what berth needs, one line per check with the fix: the kernel, cgroups, "
                + "the OCI runtime (which one berth would use, and why), conmon, the CNI plugins, the state and run "
                + "roots, the config file and its registry mirrors, the git source and the API's address, token and "
                + "TLS. Writes nothing; its probe container runs in a scratch directory.",
                "Exit codes: 0 all is well, 1 something berth needs is missing, 2 warnings only."},
        footerHeading = "%nExamples:%n",
        footer = {"  berth doctor",
                "  berth doctor -o json | jq -r '.checks[] | select(.status != \"ok\") | .fix'"})
final class DoctorCommand implements Callable<Integer> {

    /** How long a mirror or the git source may take to answer. */
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(5);

    @Mixin
    GlobalOptions global;

    @Mixin
    NodeServices.RunRoot runRoot;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        global.configureLogging();
        // the runtime line says why crun was passed over: the choice's own warning would repeat it
        ((Logger) LoggerFactory.getLogger(OciRuntimeChoice.class)).setLevel(Level.ERROR);
        if (!format.equals("text") && !format.equals("json")) {
            throw new BerthException("unknown output format \"" + format + "\" (text or json)");
        }
        GlobalOptions.ConfigFile file = global.configFile();
        LoadedConfig loaded = LoadedConfig.load(file.path(), file.named());
        BerthConfig config = loaded.config();
        OciRuntimeChoice.Preference preference = OciRuntimeChoice.Preference.parse(
                runRoot.runtime != null ? runRoot.runtime : config.runtime());
        int uid = uid();
        Report report = new Doctor(List.of(
                HostChecks.ofMachine(uid),
                CgroupChecks.ofMachine(),
                RuntimeChecks.ofMachine(preference, uid == 0),
                NetworkChecks.ofMachine(config.network()),
                StorageChecks.ofMachine(global.root(config), runRoot.dir()),
                new ConfigChecks(loaded, REMOTE_TIMEOUT),
                new SourceChecks(config.source(), System.getenv(), (int) REMOTE_TIMEOUT.toSeconds()),
                new ApiChecks(config.server(), Clock.systemUTC()))).run();
        int exit = ExitCodes.of(report);
        System.out.print(format.equals("json") ? report.json(exit) : report.text());
        System.out.flush();
        return exit;
    }

    /** The user this process runs as: the owner of its /proc entry. */
    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new BerthException("cannot tell which user runs berth: " + e.getMessage(), e);
        }
    }
}
