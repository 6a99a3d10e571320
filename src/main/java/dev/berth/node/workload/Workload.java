package dev.berth.node.workload;

import dev.berth.manifest.Manifest;
import java.util.Map;

/**
 * A workload object as applied, with what its controller remembered from its last decision (for example a
 * CronJob's last schedule time); the node keeps that memo on disk between runs.
 */
public record Workload(Manifest manifest, Map<String, String> memo) {

    public Workload {
        memo = Map.copyOf(memo);
    }
}
