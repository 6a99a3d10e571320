package dev.berth.net;

import java.util.List;

/**
 * The pods' network on this node: {@link dev.berth.net.cni.CniNetwork} gives each pod an address through the CNI
 * plugins; tests put a fake in its place. Every call returns within a bound (each plugin call has a deadline).
 */
public interface PodNetwork {

    /** No network of their own: pods have loopback only ({@code network.enabled: false}). */
    PodNetwork NONE = new PodNetwork() {
        @Override
        public PodIps attach(PodAttachment pod) {
            return new PodIps(List.of());
        }

        @Override
        public void detach(String podId) {
        }

        @Override
        public void check(String podId) {
        }

        @Override
        public List<String> attached() {
            return List.of();
        }
    };

    /**
     * Gives the pod an interface and addresses in its (pinned) network namespace and publishes its host ports. On
     * failure what was made is undone, and the exception carries the plugin's own message.
     */
    PodIps attach(PodAttachment pod);

    /** Undoes {@link #attach} from what it kept; nothing to undo (never attached, or detached already) is no error. */
    void detach(String podId);

    /** Asks the plugins whether the pod's network is still as {@link #attach} left it; throws when it is not. */
    void check(String podId);

    /** The pods attached (or being attached) by id, from what {@link #attach} kept: crashes leave some behind. */
    List<String> attached();
}
