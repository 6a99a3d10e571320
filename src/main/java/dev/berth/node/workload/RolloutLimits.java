package dev.berth.node.workload;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * A RollingUpdate's {@code maxSurge} and {@code maxUnavailable} as pod counts for a number of replicas, resolved
 * as Kubernetes resolves them.
 *
 * @param maxSurge       how many pods may exist above the replica count
 * @param maxUnavailable how many of the replicas may be unavailable
 */
record RolloutLimits(int maxSurge, int maxUnavailable) {

    private static final IntOrString DEFAULT = new IntOrString("25%");

    /** @param rollingUpdate null for the defaults (25% each) */
    static RolloutLimits of(RollingUpdateDeployment rollingUpdate, int replicas) {
        IntOrString surge = rollingUpdate == null ? null : rollingUpdate.getMaxSurge();
        IntOrString unavailable = rollingUpdate == null ? null : rollingUpdate.getMaxUnavailable();
        // Surge rounds up and unavailability down, so a small percentage still lets the rollout move.
        int maxSurge = scaled(surge == null ? DEFAULT : surge, replicas, true);
        int maxUnavailable = scaled(unavailable == null ? DEFAULT : unavailable, replicas, false);
        // Neither surging nor losing a pod would deadlock; Kubernetes then allows one unavailable pod.
        return new RolloutLimits(maxSurge, maxSurge == 0 && maxUnavailable == 0 ? 1 : maxUnavailable);
    }

    /** An integer as is, or a percentage ("25%") of {@code total}. */
    static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal().trim();
        if (!text.endsWith("%")) {
            return Integer.parseInt(text);
        }
        long percentOfTotal = Long.parseLong(text.substring(0, text.length() - 1).trim()) * total;
        return (int) ((roundUp ? percentOfTotal + 99 : percentOfTotal) / 100); // validated non-negative upstream
    }
}
