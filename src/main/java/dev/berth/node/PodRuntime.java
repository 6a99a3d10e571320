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
import dev.berth.store.AtomicFiles;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /** Runs {@code pod} to the end of its start, like {@code docker run}: on failure nothing of it is left. */
    public RunningPod start(Pod pod, ConfigSource config) {
        PodRecord record = register(pod);
        try {
            start(record, config);
        } catch (RuntimeException e) {
            try {
                remove(record.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Map<String, String> started = new LinkedHashMap<>();
        orEmpty(pod.getSpec().getContainers()).forEach(c -> started.put(c.getName(), containerId(record.id(), c)));
        return new RunningPod(record.id(), record.namespace(), record.name(), started);
    }

    /** Gives the pod an id and writes its record; nothing runs yet. */
    public PodRecord register(Pod pod) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        pod.getMetadata().setNamespace(namespace);
        String name = pod.getMetadata().getName();
        String id = namespace + "." + name + "." + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        List<String> ids = new ArrayList<>();
        orEmpty(pod.getSpec().getInitContainers()).forEach(c -> ids.add(containerId(id, c)));
        orEmpty(pod.getSpec().getContainers()).forEach(c -> ids.add(containerId(id, c)));
        PodRecord record = new PodRecord(id, namespace, name, ids, Instant.now(), pod);
        // written under a hidden name and renamed: a crash must not leave a pod directory without its record,
        // which no pass would ever see (and so remove)
        Path hidden = layout.pods().resolve(".new-" + id);
        record.write(hidden);
        AtomicFiles.rename(hidden, podDir(id));
        return record;
    }

    /**
     * Pulls, makes volumes and namespaces, runs the init containers to completion in order, then creates and starts
     * the app containers. On failure whatever was made is torn down again; the record stays.
     */
    public void start(PodRecord record, ConfigSource config) {
        Pod pod = record.pod();
        String id = record.id();
        Path podDir = podDir(id);
        List<Container> init = orEmpty(pod.getSpec().getInitContainers());
        List<Container> app = orEmpty(pod.getSpec().getContainers());
        // pinning (unshare, loopback up, three bind mounts) overlaps the image, volume and snapshot work; on a thread
        // of its own, as the common pool may be busy
        CompletableFuture<SharedNamespaces> pinning = CompletableFuture.supplyAsync(() -> namespaces.pin(id),
                task -> new Thread(task, "berth-pin-" + id).start());
        try {
            Map<String, Image> images = pullImages(pod);
            Map<String, Path> volumes = new PodVolumes(layout, mounter, config).prepare(pod, podDir);
            Supplier<SharedNamespaces> shared = () -> joinPinning(pinning);
            LaunchPlanner planner = new LaunchPlanner(new EnvironmentResolver(config));
            for (Container c : init) {
                create(id, record.name(), pod, c, images, volumes, shared, planner, podDir);
                containers.start(containerId(id, c));
                ContainerStatus done = awaitExit(containerId(id, c));
                if (done.exitCode() == null || done.exitCode() != 0) {
                    throw new BerthException("init container " + c.getName() + " failed with exit code " + done.exitCode());
                }
            }
            for (Container c : app) {
                create(id, record.name(), pod, c, images, volumes, shared, planner, podDir);
            }
            app.forEach(c -> containers.start(containerId(id, c)));
        } catch (RuntimeException e) {
            try {
                pinning.exceptionally(failure -> null).join(); // release only what is done being made
                teardown(record);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Starts one app container of a running pod again with a fresh rootfs, as the kubelet does after an exit; the
     * log of the run before is kept as {@code NAME.previous.log} for {@code logs --previous}.
     */
    public void restartContainer(PodRecord record, String name, ConfigSource config) {
        Pod pod = record.pod();
        Container c = orEmpty(pod.getSpec().getContainers()).stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new BerthException("pod " + record.name() + " has no container " + name));
        String id = containerId(record.id(), c);
        containers.remove(id);
        snapshotter.remove(id);
        Path podDir = podDir(record.id());
        Path log = podDir.resolve("logs").resolve(name + ".log");
        try {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(name + ".previous.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            throw new BerthException("cannot keep the previous log of " + id + ": " + e.getMessage(), e);
        }
        Map<String, Image> images = pullImages(pod);
        Map<String, Path> volumes = new PodVolumes(layout, mounter, config).locate(pod, podDir);
        SharedNamespaces shared = namespaces.pin(record.id());
        create(record.id(), record.name(), pod, c, images, volumes, () -> shared, new LaunchPlanner(new EnvironmentResolver(config)),
                podDir);
        containers.start(id);
    }

    /** Every image of the pod, pulled as its pull policies say; done before a pod it replaces is stopped. */
    public Map<String, Image> pullImages(Pod pod) {
        List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
        all.addAll(orEmpty(pod.getSpec().getContainers()));
        Map<String, Image> images = new LinkedHashMap<>();
        for (Container c : all) {
            if (!images.containsKey(c.getImage())) {
                PullPolicy policy = PullPolicy.parse(c.getImagePullPolicy() == null ? "IfNotPresent" : c.getImagePullPolicy());
                images.put(c.getImage(), puller.pull(ImageReference.parse(c.getImage()), policy));
            }
        }
        return images;
    }

    /** Every pod with a record on this node, oldest first. */
    public List<PodRecord> list() {
        return PodRecord.readAll(layout.pods());
    }

    /**
     * Removes containers no pod record names (left by a crash between a record's deletion and its containers', or
     * made behind berth's back under its runtime root) and bundles runc never finished creating. Returns their ids.
     *
     * @param records  every pod record, as read just before {@code statuses}
     * @param statuses every container's status, as {@link #statuses} gave them a moment ago
     */
    public List<String> removeStrayContainers(List<PodRecord> records, Map<String, ContainerStatus> statuses) {
        java.util.Set<String> known = new java.util.HashSet<>();
        records.forEach(record -> known.addAll(record.containers()));
        List<String> removed = new ArrayList<>(containers.cleanupOrphans(statuses));
        for (String id : containers.containerIds()) { // ids alone: what runc says of them does not matter here
            if (!known.contains(id)) {
                containers.remove(id);
                snapshotter.remove(id);
                removed.add(id);
            }
        }
        return removed;
    }

    public Path podDir(String podId) {
        return layout.pods().resolve(podId);
    }

    public ContainerStatus status(String containerId) {
        return containers.state(containerId);
    }

    /** Every container's status by id, from one call to the OCI runtime rather than one per container. */
    public Map<String, ContainerStatus> statuses() {
        return containers.states();
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

    /** Runs a command in a running container: exec probes. */
    public dev.berth.runtime.OciRuntime.ExecResult exec(String containerId, List<String> args, Duration timeout) {
        return containers.exec(containerId, args, timeout);
    }

    /** Stops one container: SIGTERM, then SIGKILL after {@code grace}. */
    public ContainerStatus stopContainer(String containerId, Duration grace) {
        return containers.stop(containerId, grace);
    }

    /** Stops every container of the pod that runs, all at once, each with {@code grace}. */
    public void stopAll(PodRecord record, Duration grace) {
        List<Thread> stops = new ArrayList<>();
        for (String id : record.containers()) {
            Thread stop = new Thread(() -> {
                try {
                    containers.stop(id, grace);
                } catch (ContainerException e) {
                    // not created (a crash or a failed start): nothing to stop
                }
            }, "stop-" + id);
            stop.start();
            stops.add(stop);
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while stopping pod " + record.id());
            }
        }
    }

    /** Removes every container, rootfs, namespace and volume of the pod (PVC data stays), whatever state it is in. */
    public void remove(String podId) {
        Path podDir = podDir(podId);
        PodRecord.read(podDir).ifPresent(this::teardown);
        namespaces.release(podId);
        mounter.unmountAllUnder(podDir); // never delete through a mount left behind
        // renamed away first: a crash mid-delete must not leave the record without its status.json (the pod
        // would come back as a new one) or a directory without its record
        Path hidden = layout.pods().resolve(".deleting-" + podId);
        if (Files.exists(podDir)) {
            AtomicFiles.rename(podDir, hidden);
        }
        deleteLeftover(hidden);
    }

    /**
     * Deletes what a crash left in the pods directory under a hidden name: a pod being registered (nothing of it
     * exists yet) or one being deleted (torn down already). Returns their names.
     */
    public List<String> removeLeftoverPodDirs() {
        if (!Files.isDirectory(layout.pods())) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (java.util.stream.Stream<Path> dirs = Files.list(layout.pods())) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(".")).toList()) {
                deleteLeftover(dir);
                removed.add(dir.getFileName().toString());
            }
        } catch (java.io.IOException e) {
            throw new BerthException("cannot list " + layout.pods() + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private void deleteLeftover(Path dir) {
        mounter.unmountAllUnder(dir);
        try {
            FileTrees.deleteRecursively(dir);
        } catch (java.io.IOException e) {
            throw new BerthException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the pod's containers, rootfs mounts, namespaces and volume mounts; its record and files stay. */
    public void teardown(PodRecord record) {
        record.containers().forEach(id -> {
            containers.remove(id); // also fine for a container the crash left uncreated
            snapshotter.remove(id);
        });
        namespaces.release(record.id());
        new PodVolumes(layout, mounter, null).release(podDir(record.id()));
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

    /** The runtime id of a container of the pod: {@code <pod id>.<container name>}. */
    public static String containerId(String podId, String containerName) {
        return podId + "." + containerName;
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
