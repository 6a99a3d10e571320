package dev.berth.node;

import dev.berth.core.Quantity;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A container's {@code resources} turned into cgroup numbers, the way the kubelet does it: a CPU limit is a
 * quota per 100 ms period, a CPU request is a share of 1024 per core, a memory limit is bytes.
 *
 * @param cpuQuota    microseconds per period, 0 for no limit
 * @param cpuShares   relative weight (runc maps it to cpu.weight on cgroup v2)
 * @param memoryLimit bytes, 0 for no limit
 */
record CgroupLimits(long cpuQuota, long cpuPeriod, long cpuShares, long memoryLimit, long pidsLimit) {

    static final long PERIOD = 100_000;
    /** The kubelet's floors: smaller quotas or shares are not honoured by the kernel. */
    static final long MIN_QUOTA = 1_000;
    static final long MIN_SHARES = 2;
    /** Enough for real workloads, few enough that a fork bomb cannot take the node. */
    static final long DEFAULT_PIDS = 4096;

    /** From {@code resources: {limits: {...}, requests: {...}}}; a request defaults to the limit, as in Kubernetes. */
    static CgroupLimits of(Map<String, ?> limits, Map<String, ?> requests) {
        BigDecimal cpuLimit = amount(limits, "cpu");
        BigDecimal cpuRequest = amount(requests, "cpu");
        if (cpuRequest == null) {
            cpuRequest = cpuLimit;
        }
        long quota = cpuLimit == null ? 0 : Math.max(MIN_QUOTA, millis(cpuLimit) * PERIOD / 1000);
        long shares = cpuRequest == null ? MIN_SHARES : Math.max(MIN_SHARES, millis(cpuRequest) * 1024 / 1000);
        BigDecimal memory = amount(limits, "memory");
        return new CgroupLimits(quota, PERIOD, shares, memory == null ? 0 : memory.longValue(), DEFAULT_PIDS);
    }

    private static BigDecimal amount(Map<String, ?> values, String name) {
        Object v = values == null ? null : values.get(name);
        return v == null ? null : Quantity.parse(String.valueOf(v)).value();
    }

    private static long millis(BigDecimal cores) {
        return cores.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
