package dev.berth.doctor;

import dev.berth.core.BerthException;
import dev.berth.runtime.OciRuntimeChoice;
import dev.berth.runtime.RuntimeLayout;
import dev.berth.store.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tries the OCI runtimes as berth would, with probe containers made in a scratch directory: {@code berth doctor}
 * writes nothing under the run root, and leaves nothing behind.
 */
public final class ScratchRuntimeTrial implements RuntimeTrial {

    @Override
    public OciRuntimeChoice.Choice evaluate(OciRuntimeChoice.Preference preference) {
        return inScratch(choice -> choice.evaluate(preference));
    }

    @Override
    public Optional<String> probeFailure(OciRuntimeChoice.Choice chosen) {
        return inScratch(choice -> choice.probeFailure(chosen));
    }

    private static <T> T inScratch(Function<OciRuntimeChoice, T> trial) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("berth-doctor-");
        } catch (IOException e) {
            throw new BerthException("cannot make a scratch directory for a probe container: " + e.getMessage(), e);
        }
        try {
            return trial.apply(new OciRuntimeChoice(new RuntimeLayout(scratch)));
        } finally {
            try {
                FileTrees.deleteRecursively(scratch);
            } catch (IOException e) {
                throw new BerthException("cannot remove the probe's scratch directory " + scratch + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
