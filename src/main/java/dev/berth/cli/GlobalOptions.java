package dev.berth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigLoader;
import dev.berth.store.StateLayout;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every verb takes: config file, state root, verbosity. */
final class GlobalOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $BERTH_CONFIG, else /etc/berth/config.yaml; a missing default is fine).")
    Path configFile;

    @Option(names = "--root", paramLabel = "DIR", description = "State root (default: the config's root, else /var/lib/berth).")
    Path root;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces on errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Less output: no notes, and only error logs.")
    boolean quiet;

    private BerthConfig config;

    /** The config file to read, and whether the user named it: a missing named file is an error, the default not. */
    record ConfigFile(Path path, boolean named) {}

    ConfigFile configFile() {
        String env = System.getenv("BERTH_CONFIG");
        if (configFile != null) {
            return new ConfigFile(configFile, true);
        }
        return env != null && !env.isEmpty() ? new ConfigFile(Path.of(env), true)
                : new ConfigFile(ConfigLoader.DEFAULT_PATH, false);
    }

    BerthConfig config() {
        if (config == null) {
            ConfigFile file = configFile();
            config = ConfigLoader.load(file.path(), file.named());
        }
        return config;
    }

    Path root() {
        return root != null ? absolute(root) : root(config()); // the config is not read for a root given here
    }

    /**
     * {@code --root}, else {@code config}'s root, else the default; absolute, as conmon and the OCI runtime, which
     * run in other directories, are given paths under it.
     */
    Path root(BerthConfig config) {
        if (root != null) {
            return absolute(root);
        }
        return config.root() != null ? absolute(config.root()) : StateLayout.DEFAULT_ROOT;
    }

    static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** Quiet by default (warnings), -v for debug, -q for errors only. */
    void configureLogging() {
        Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLogger.setLevel(verbose ? Level.DEBUG : quiet ? Level.ERROR : Level.WARN);
    }

    /** As {@link #configureLogging()}, but berth's own progress (info) shows by default: a daemon's log is its record. */
    void configureDaemonLogging() {
        configureLogging();
        if (!verbose && !quiet) {
            ((Logger) LoggerFactory.getLogger("dev.berth")).setLevel(Level.INFO);
        }
    }
}
