package dev.berth.doctor;

import dev.berth.config.BerthConfig;
import dev.berth.config.ConfigLoader;
import dev.berth.core.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config file as berth would read it, kept even when it cannot be read: the other checks then go on with
 * berth's defaults, and the config's own check says what is wrong.
 *
 * @param error why the file cannot be used; null when it can
 */
public record LoadedConfig(Path file, boolean named, boolean exists, BerthConfig config, String error) {

    /** @param named whether the user named the file: a missing named file is an error, a missing default one not */
    public static LoadedConfig load(Path file, boolean named) {
        boolean exists = Files.exists(file);
        try {
            return new LoadedConfig(file, named, exists, ConfigLoader.load(file, named), null);
        } catch (BerthException e) {
            return new LoadedConfig(file, named, exists, BerthConfig.defaults(), e.getMessage());
        }
    }

    /** The config file's check. */
    Check check() {
        if (error != null) {
            return Check.error("config", error.replace("\n", "; "), exists
                    ? "correct the file: berth reads it strictly, and will not start with it as it is"
                    : "create it, or name another file (--config, $BERTH_CONFIG)");
        }
        return Check.ok("config", exists ? file.toString() : "no " + file + ": berth's defaults");
    }
}
