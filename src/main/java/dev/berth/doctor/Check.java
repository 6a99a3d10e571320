package dev.berth.doctor;

import java.util.Locale;
import java.util.Objects;

/** One finding of {@code berth doctor}: what was checked, how it stands, what was found, and the fix (null: none). */
public record Check(String name, Status status, String message, String fix) {

    /** Ordered by severity: the worst status of a report decides its exit code. */
    public enum Status {
        /** As berth needs it. */
        OK,
        /** berth works, but less well than it could, or less safely. */
        WARN,
        /** Something berth needs is missing or broken. */
        ERROR;

        /** As printed: ok, warn, error. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    public static Check ok(String name, String message) {
        return new Check(name, Status.OK, message, null);
    }

    public static Check warn(String name, String message, String fix) {
        return new Check(name, Status.WARN, message, fix);
    }

    public static Check error(String name, String message, String fix) {
        return new Check(name, Status.ERROR, message, fix);
    }

    /** The fix for a missing program: the Debian package that has it, and the command that installs it. */
    public static String install(String debianPackage) {
        return "install Debian's package " + debianPackage + " (apt-get install -y " + debianPackage + ")";
    }
}
