package dev.berth.policy;

/** What a violation does to a sync: DENY blocks it, WARN only reports. */
public enum Enforcement {
    DENY,
    WARN
}
