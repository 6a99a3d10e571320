package dev.berth.scheduler;

import java.util.Objects;

/** A node taint: pods that do not tolerate it are kept off the node (or, for PreferNoSchedule, only discouraged). */
public record Taint(String key, String value, Effect effect) {

    public enum Effect { NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE }

    public Taint {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a taint needs a key");
        }
        value = value == null ? "" : value;
        Objects.requireNonNull(effect, "effect");
    }

    /** Whether the scheduler must refuse pods that do not tolerate it; PreferNoSchedule is only a preference. */
    boolean blocksScheduling() {
        return effect != Effect.PREFER_NO_SCHEDULE;
    }

    /** Worded as kube-scheduler writes it: {@code {dedicated: gpu}}. */
    @Override
    public String toString() {
        return "{" + key + ": " + value + "}";
    }
}
