package dev.berth.runtime;

/**
 * Cgroup limits; 0 means "no limit" for each field.
 *
 * @param cpuQuotaMicros  CPU time per period (CFS quota), e.g. 50000 of 100000 for half a CPU
 * @param cpuShares       relative weight (v1 shares; runc converts for v2)
 */
public record Resources(long cpuQuotaMicros, long cpuPeriodMicros, long cpuShares, long memoryLimitBytes,
                        long pidsLimit) {

    public static final Resources NONE = new Resources(0, 0, 0, 0, 0);

    public Resources {
        if (cpuQuotaMicros < 0 || cpuPeriodMicros < 0 || cpuShares < 0 || memoryLimitBytes < 0 || pidsLimit < 0) {
            throw new IllegalArgumentException("resource limits cannot be negative");
        }
    }
}
