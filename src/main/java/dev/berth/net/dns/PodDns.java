package dev.berth.net.dns;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The pods' DNS as the node keeps it: what a {@code ClusterFirst} pod's resolv.conf names, and the server behind it,
 * which runs while pods may use it and serves the Services' names.
 */
public interface PodDns {

    /** The servers and domain pods' resolv.conf names. */
    ClusterDnsConfig config();

    /** Starts the server unless it runs; before a pod starts, and after a pass that left pods (it may have died). */
    void ensureRunning();

    /** Serves these Services' names, by {@code namespace/name}, and no others. */
    void publish(Map<String, List<String>> ipsByService);

    /**
     * Stops the server unless {@code needed} (asked under the lock {@link #ensureRunning} takes, so that a pod whose
     * start is under way keeps it); after a pod's removal.
     */
    void stopUnlessNeeded(BooleanSupplier needed);

    /** Pods without a network of their own: they keep the host's resolvers, and no server runs. */
    PodDns NONE = new PodDns() {
        @Override
        public ClusterDnsConfig config() {
            return ClusterDnsConfig.NONE;
        }

        @Override
        public void ensureRunning() {}

        @Override
        public void publish(Map<String, List<String>> ipsByService) {}

        @Override
        public void stopUnlessNeeded(BooleanSupplier needed) {}
    };
}
