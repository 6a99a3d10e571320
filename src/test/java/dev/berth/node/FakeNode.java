package dev.berth.node;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.ManifestLoader;
import dev.berth.net.dns.PodDns;
import dev.berth.net.service.ServiceIps;
import dev.berth.net.service.ServiceProxy;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.store.StateLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A node reconciler over a {@link FakePodRuntime}, with manifests applied from YAML: the reconciler's own code,
 * workers and probe timers, run against a machine that is the test's to steer. Waits are on conditions.
 */
public final class FakeNode implements AutoCloseable {

    /** How long a test waits for a condition before it fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    public final StateLayout layout;
    public final FakePodRuntime runtime;
    public final NodeReconciler reconciler;
    private final Path manifests;
    private DesiredState applied;

    public FakeNode(Path dir) {
        this(dir, new NodeResources(new NodeCapacity(4000, 8L << 30, Map.of(), List.of())));
    }

    public FakeNode(Path dir, NodeResources resources) {
        this(dir, resources, ServiceProxy.NONE, PodDns.NONE);
    }

    /** A node whose Services' rules go to {@code proxy}. */
    public FakeNode(Path dir, ServiceProxy proxy) {
        this(dir, new NodeResources(new NodeCapacity(4000, 8L << 30, Map.of(), List.of())), proxy, PodDns.NONE);
    }

    /** A node whose Services' names go to {@code dns}. */
    public FakeNode(Path dir, PodDns dns) {
        this(dir, new NodeResources(new NodeCapacity(4000, 8L << 30, Map.of(), List.of())), ServiceProxy.NONE, dns);
    }

    private FakeNode(Path dir, NodeResources resources, ServiceProxy proxy, PodDns dns) {
        layout = new StateLayout(dir.resolve("state"));
        manifests = dir.resolve("manifests");
        runtime = new FakePodRuntime(layout);
        reconciler = new NodeReconciler(layout, runtime, resources, proxy,
                new ServiceIps(layout, ServiceIps.DEFAULT_CIDR), dns);
        applied = new DesiredState(null, List.of());
    }

    /** Makes {@code yaml} (one document or several) the applied state, replacing what was applied. */
    public DesiredState apply(String yaml) {
        try {
            Files.createDirectories(manifests);
            Files.writeString(manifests.resolve("all.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        applied = new ManifestLoader().load(new DirectoryTreeReader(manifests), "", null);
        return applied;
    }

    /** Makes {@code state} the applied state: objects as no loader gives them now (recorded by an older berth). */
    public void apply(DesiredState state) {
        applied = state;
    }

    public DesiredState applied() {
        return applied;
    }

    public NodeReconciler.PassResult pass() {
        return pass(Instant.now());
    }

    public NodeReconciler.PassResult pass(Instant now) {
        return reconciler.pass(applied, now);
    }

    /** Passes, each once the node is woken (or 200 ms went by), until {@code condition} holds for its pods. */
    public NodeReconciler.PassResult until(String what, Predicate<List<PodSnapshot>> condition) {
        return until(what, condition, false);
    }

    /** As {@link #until}, and no worker is busy any more: what the pass handed them is done. */
    public NodeReconciler.PassResult untilIdle(String what, Predicate<List<PodSnapshot>> condition) {
        return until(what, condition, true);
    }

    private NodeReconciler.PassResult until(String what, Predicate<List<PodSnapshot>> condition, boolean idle) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            NodeReconciler.PassResult result = pass();
            if ((!idle || result.working() == 0) && condition.test(pods())) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; pods: " + pods());
            }
            try {
                reconciler.wakeup().await(Instant.now().plusMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public List<PodSnapshot> pods() {
        return new PodObserver(runtime).observe();
    }

    /** The one pod named {@code name}; fails unless there is exactly one. */
    public PodSnapshot pod(String name) {
        List<PodSnapshot> named = pods().stream().filter(p -> p.record().name().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError("expected one pod " + name + ", found " + named);
        }
        return named.get(0);
    }

    public boolean has(String name) {
        return pods().stream().anyMatch(p -> p.record().name().equals(name));
    }

    public List<PodEvents.Event> events(PodSnapshot pod) {
        return PodEvents.read(runtime.podDir(pod.id()));
    }

    public WorkloadStatus status(String kind, String namespace, String name) {
        return WorkloadStatus.read(layout, new dev.berth.core.ResourceKey(kind, namespace, name)).orElseThrow();
    }

    @Override
    public void close() {
        reconciler.close();
    }
}
