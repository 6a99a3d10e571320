package dev.berth.cli;

import dev.berth.core.ResourceKey;
import dev.berth.core.Revision;
import dev.berth.node.ContainerRun;
import dev.berth.node.NodeFiles;
import dev.berth.node.PodState;
import dev.berth.node.WorkloadStatus;
import dev.berth.node.workload.Health;
import dev.berth.store.ObjectRecord;
import dev.berth.store.ObjectRecords;
import dev.berth.store.StateLayout;
import dev.berth.sync.SyncState;
import dev.berth.testing.CliRun;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A node's state root for the read-only commands' tests, written with the node's own writers. */
final class NodeState {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    final Path root;
    final StateLayout layout;
    final NodeFiles pods;

    NodeState(Path root) {
        this.root = root;
        this.layout = new StateLayout(root);
        this.pods = new NodeFiles(layout);
    }

    /** An applied object; {@code health} null for a kind without a status file (ConfigMap, Namespace, ...). */
    void object(String kind, String namespace, String name, Health health, String message, int drift, String error) {
        ResourceKey key = new ResourceKey(kind, namespace, name);
        new ObjectRecords(layout).write(new ObjectRecord(key, "v1", "sha256:00", new Revision(SHA),
                Instant.parse("2026-03-01T10:00:00Z"), true, Map.of(), Map.of()));
        if (health != null) {
            new WorkloadStatus(health, message, Instant.now(), Map.of(), drift, error).write(layout, key);
        }
    }

    /** {@code minutes} before {@code now}, 10 s into the minute, so that a slow run still prints the same age. */
    static Instant ago(Instant now, int minutes) {
        return now.minus(Duration.ofMinutes(minutes).plusSeconds(10));
    }

    /**
     * A node that synced 20 minutes before {@code now} ({@code message}): a ConfigMap, a degraded Deployment with a
     * crash-looping pod, a Job whose last attempt failed.
     */
    void appliedShop(Instant now, String message) {
        new SyncState("/srv/ops.git", "main", "deploy", SHA, ago(now, 20), "Synced", message, null).write(layout);
        object("ConfigMap", "shop", "cfg", null, null, 0, null);
        object("Deployment", "shop", "web", Health.DEGRADED, "0/1 pods ready", 2, null);
        object("Job", "shop", "backup", Health.HEALTHY, "running", 0, "image pull failed");
        Pod web = pod("shop", "web-5d8f-abcde", "app");
        web.getMetadata().setAnnotations(Map.of("berth.dev/owner", "Deployment/shop/web"));
        pods.pod("shop.web-5d8f-abcde.0a1b2c", web, ago(now, 45));
        pods.state("shop.web-5d8f-abcde.0a1b2c", crashLooping(4, ago(now, 30)));
    }

    /** A pod with one container per name, the first image busybox:1.35. */
    static Pod pod(String namespace, String name, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata();
        var spec = pod.withNewSpec();
        for (String c : containers) {
            spec.addNewContainer().withName(c).withImage("docker.io/library/busybox:1.35").endContainer();
        }
        return spec.endSpec().build();
    }

    /** A started pod whose only container, {@code app}, crashed {@code restarts} times and waits to restart. */
    static PodState crashLooping(int restarts, Instant lastExit) {
        ContainerRun run = new ContainerRun(restarts, lastExit.minusSeconds(5), 1, lastExit, "Error", "panic: boom", 80,
                lastExit.plusSeconds(80));
        return new PodState(true, true, false, null, null, null, 0, null, Map.of("app", run));
    }

    /** Runs berth on this state root, with a run root of its own beside it: no container is known to runc. */
    CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--root", root.toString()));
        if (!args[0].equals("history")) {
            all.addAll(List.of("--run-root", root.resolveSibling("run").toString()));
        }
        return CliRun.of(all.toArray(String[]::new));
    }
}
