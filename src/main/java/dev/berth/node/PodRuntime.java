package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImagePuller;
import dev.berth.image.ImageReference;
import dev.berth.image.PullPolicy;
import dev.berth.image.Snapshotter;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.PodNamespaces;
import dev.berth.runtime.RuntimeState;
import dev.berth.runtime.SharedNamespaces;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a Pod on this node: pulls its images, makes its volumes, pins its shared namespaces, runs the init
 * containers to completion in order, then starts the app containers. Removal undoes all of it. The pod's record
 * is on disk before anything else exists, so a crash at any point leaves what {@link #remove} needs.
 */
public final class PodRuntime {

    private static final Duration POLL = Duration.ofMillis(50);

    private final StateLayout layout;
    private final ImagePuller puller;
    private final ContentStore content;
    private final Snapshotter snapshotter;
    private final ContainerRuntime containers;
    private final PodNamespaces namespaces;
    private final Mounter mounter;

    public PodRuntime(StateLayout layout, ImagePuller puller, ContentStore content, Snapshotter snapshotter,
                      ContainerRuntime containers, PodNamespaces namespaces, Mounter mounter) {
        this.layout = layout;
        this.puller = puller;
        this.content = content;
        this.snapshotter = snapshotter;
        this.containers = containers;
        this.namespaces = namespaces;
        this.mounter = mounter;
    }

    /** A started pod: its id and its app containers' runtime ids by name. */
    public record RunningPod(String id, String namespace, String name, Map<String, String> containers) {}

    public RunningPod start(Pod pod, ConfigSource config) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        pod.getMetadata().setNamespace(namespace);
        String name = pod.getMetadata().getName();
        String id = namespace + "." + name + "." + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        List<Container> init = orEmpty(pod.getSpec().getInitContainers());
        List<Container> app = orEmpty(pod.getSpec().getContainers());
        List<String> ids = new ArrayList<>();
        init.forEach(c -> ids.add(containerId(id, c)));
        app.forEach(c -> ids.add(containerId(id, c)));
        Path podDir = layout.pods().resolve(id);
        new PodRecord(id, namespace, name, ids, Instant.now()).write(podDir);
        // pinning (unshare, loopback up, three bind mounts) overlaps the image, volume and snapshot work; on a thread
        // of its own, as the common pool may be busy
        CompletableFuture<SharedNamespaces> pinning = CompletableFuture.supplyAsync(() -> namespaces.pin(id),
                task -> new Thread(task, "berth-pin-" + id).start());
        try {
            Map<String, Image> images = pullAll(init, app);
            Map<String, Path> volumes = new PodVolumes(layout, mounter, config).prepare(pod, podDir);
            Supplier<SharedNamespaces> shared = () -> joinPinning(pinning);
            LaunchPlanner planner = new LaunchPlanner(new EnvironmentResolver(config));
            for (Container c : init) {
                create(id, name, pod, c, images, volumes, shared, planner, podDir);
                containers.start(containerId(id, c));
                ContainerStatus done = awaitExit(containerId(id, c));
                if (done.exitCode() == null || done.exitCode() != 0) {
                    throw new BerthException("init container " + c.getName() + " failed with exit code " + done.exitCode());
                }
            }
            Map<String, String> started = new LinkedHashMap<>();
            for (Container c : app) {
                create(id, name, pod, c, images, volumes, shared, planner, podDir);
                started.put(c.getName(), containerId(id, c));
            }
            started.values().forEach(containers::start);
            return new RunningPod(id, namespace, name, started);
        } catch (RuntimeException e) {
            try {
                pinning.exceptionally(failure -> null).join(); // release only what is done being made
                remove(id);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    public ContainerStatus status(String containerId) {
        return containers.state(containerId);
    }

    /** Waits until the container has exited (init containers, run-pod); there is no time limit. */
    public ContainerStatus awaitExit(String containerId) {
        while (true) {
            ContainerStatus status = containers.state(containerId);
            if (status.status() == RuntimeState.Status.STOPPED && status.exitCode() != null) {
                return status;
            }
            sleep(POLL);
        }
    }

    /** SIGTERM to every running container of the pod, SIGKILL after {@code grace}. */
    public void stop(RunningPod pod, Duration grace) {
        for (String id : pod.containers().values()) {
            containers.stop(id, grace);
        }
    }

    /** Removes every container, rootfs, namespace and volume of the pod (PVC data stays), whatever state it is in. */
    public void remove(String podId) {
        Path podDir = layout.pods().resolve(podId);
        PodRecord.read(podDir).ifPresent(record -> record.containers().forEach(id -> {
            containers.remove(id); // also fine for a container the crash left uncreated
            snapshotter.remove(id);
        }));
        namespaces.release(podId);
        new PodVolumes(layout, mounter, null).release(podDir);
        mounter.unmountAllUnder(podDir); // never delete through a mount left behind
        try {
            FileTrees.deleteRecursively(podDir);
        } catch (java.io.IOException e) {
            throw new BerthException("cannot delete " + podDir + ": " + e.getMessage(), e);
        }
    }

    private void create(String podId, String hostname, Pod pod, Container c, Map<String, Image> images,
                        Map<String, Path> volumes, Supplier<SharedNamespaces> shared, LaunchPlanner planner,
                        Path podDir) {
        Image image = images.get(c.getImage());
        String id = containerId(podId, c);
        ContainerLaunch launch = planner.plan(pod, c, image.runConfig());
        snapshotter.unpack(image, content::path);
        var rootfs = snapshotter.prepare(id, image);
        Path log = podDir.resolve("logs").resolve(c.getName() + ".log");
        try {
            containers.create(ContainerSpecs.of(id, hostname, launch, rootfs, volumes, shared.get(), log));
        } catch (ContainerException e) {
            // named as the kubelet names it, so users find the cause where they would look in a cluster
            throw new BerthException("CreateContainerError: container " + c.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Every image first, so that a pull error leaves no container behind. */
    private Map<String, Image> pullAll(List<Container> init, List<Container> app) {
        Map<String, Image> images = new LinkedHashMap<>();
        List<Container> all = new ArrayList<>(init);
        all.addAll(app);
        for (Container c : all) {
            if (!images.containsKey(c.getImage())) {
                PullPolicy policy = PullPolicy.parse(c.getImagePullPolicy() == null ? "IfNotPresent" : c.getImagePullPolicy());
                images.put(c.getImage(), puller.pull(ImageReference.parse(c.getImage()), policy));
            }
        }
        return images;
    }

    private static SharedNamespaces joinPinning(CompletableFuture<SharedNamespaces> pinning) {
        try {
            return pinning.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static String containerId(String podId, Container c) {
        return podId + "." + c.getName();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while waiting for a container");
        }
    }
}
