package dev.berth.doctor;

import dev.berth.runtime.OciRuntimeChoice;
import java.util.Optional;

/** What berth's choice of OCI runtime says on this host, tried now; an interface so that tests can answer instead. */
public interface RuntimeTrial {

    /** The runtime {@code preference} would choose, and why; throws when none is installed. */
    OciRuntimeChoice.Choice evaluate(OciRuntimeChoice.Preference preference);

    /** Why the chosen runtime cannot run a probe container here; empty when it ran. */
    Optional<String> probeFailure(OciRuntimeChoice.Choice choice);
}
