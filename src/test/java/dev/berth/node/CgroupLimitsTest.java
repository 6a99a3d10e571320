package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupLimitsTest {

    @Test
    void limitsAndRequestsBecomeQuotaSharesAndBytes() {
        CgroupLimits l = CgroupLimits.of(Map.of("cpu", "500m", "memory", "32Mi"), Map.of("cpu", "250m"));
        assertEquals(new CgroupLimits(50_000, 100_000, 256, 32 * 1024 * 1024, 4096), l);
    }

    @Test
    void requestDefaultsToLimitAndFloorsApply() {
        assertEquals(2048, CgroupLimits.of(Map.of("cpu", "2"), Map.of()).cpuShares());
        assertEquals(1_000, CgroupLimits.of(Map.of("cpu", "1m"), Map.of()).cpuQuota());
        CgroupLimits none = CgroupLimits.of(Map.of(), Map.of());
        assertEquals(0, none.cpuQuota());
        assertEquals(2, none.cpuShares());
        assertEquals(0, none.memoryLimit());
    }
}
