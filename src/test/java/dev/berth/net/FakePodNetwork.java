package dev.berth.net;

import dev.berth.core.BerthException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pod network in memory: each attached pod gets the next address of 10.88.0.0/16 (from 10.88.0.2), as host-local
 * hands them out; a test may make the next attaches fail, or leave a network behind as a crash would.
 */
public final class FakePodNetwork implements PodNetwork {

    private final Map<String, PodAttachment> attached = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(2);
    private volatile String failure;

    /** Attaches fail with {@code why} (null: they succeed again). */
    public void failAttaches(String why) {
        failure = why;
    }

    /** A network that stays attached with no pod of berth's: what a SIGKILL between ADD and the pod's record leaves. */
    public void leave(String podId) {
        attached.put(podId, new PodAttachment(podId, "default", podId, java.nio.file.Path.of("/gone"), List.of()));
    }

    /** What {@link #attach} was given for the pod, while it is attached. */
    public PodAttachment attachment(String podId) {
        return attached.get(podId);
    }

    @Override
    public PodIps attach(PodAttachment pod) {
        if (failure != null) {
            throw new BerthException("CNI plugin bridge ADD failed: " + failure);
        }
        attached.put(pod.podId(), pod);
        int n = next.getAndIncrement();
        return new PodIps(List.of("10.88." + (n / 256) + "." + (n % 256)));
    }

    @Override
    public void detach(String podId) {
        attached.remove(podId);
    }

    @Override
    public void check(String podId) {
        if (!attached.containsKey(podId)) {
            throw new BerthException("pod " + podId + " has no network to check");
        }
    }

    @Override
    public List<String> attached() {
        return attached.keySet().stream().sorted().toList();
    }
}
