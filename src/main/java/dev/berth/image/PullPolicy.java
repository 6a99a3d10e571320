package dev.berth.image;

import java.util.Locale;

/** Kubernetes' imagePullPolicy. */
public enum PullPolicy {
    ALWAYS, IF_NOT_PRESENT, NEVER;

    /** Accepts Kubernetes' spelling (Always, IfNotPresent, Never), case-insensitively. */
    public static PullPolicy parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "ifnotpresent", "if_not_present" -> IF_NOT_PRESENT;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("unknown pull policy \"" + text + "\" (Always, IfNotPresent, Never)");
        };
    }
}
