package dev.berth.runtime;

import java.nio.file.Path;

/** What the OCI runtime reports for one container ({@code runc state}); pid is 0 once stopped. */
public record RuntimeState(String id, Status status, int pid, Path bundle) {

    /** The OCI runtime spec's lifecycle states. */
    public enum Status { CREATING, CREATED, RUNNING, STOPPED, PAUSED;

        static Status parse(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
