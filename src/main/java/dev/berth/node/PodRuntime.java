package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.SysctlNames;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImagePuller;
import dev.berth.image.ImageReference;
import dev.berth.image.PullPolicy;
import dev.berth.image.Snapshotter;
import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.net.PodNetwork;
import dev.berth.net.dns.PodDns;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Mounter;
import dev.berth.runtime.NamespaceOptions;
import dev.berth.runtime.PodNamespaces;
import dev.berth.runtime.SharedNamespaces;
import dev.berth.store.AtomicFiles;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a Pod on this node: pulls its images, makes its volumes, pins its shared namespaces and gives it its network,
 * runs the init containers to completion in order, then starts the app containers. Removal undoes all of it. The pod's
 * record is on disk before anything else exists, so a crash at any point leaves what {@link #remove} needs.
 */
public final class PodRuntime implements PodRuntimePort {

    private final StateLayout layout;
    private final ImagePuller puller;
    private final ContentStore content;
    /** /etc/passwd and /etc/group larger than this are not read: an image must not make the node read gigabytes. */
    private static final long MAX_ACCOUNTS_FILE = 1 << 20;

    private final Snapshotter snapshotter;
    private final ContainerRuntime containers;
    private final PodNamespaces namespaces;
    private final Mounter mounter;
    private final NodeFacts node;
    private final PodNetwork network;
    private final PodDns dns;
    private final PodEtcFiles etcFiles;

    public PodRuntime(StateLayout layout, ImagePuller puller, ContentStore content, Snapshotter snapshotter,
                      ContainerRuntime containers, PodNamespaces namespaces, Mounter mounter, NodeFacts node,
                      PodNetwork network, PodDns dns) {
        this.layout = layout;
        this.puller = puller;
        this.content = content;
        this.snapshotter = snapshotter;
        this.containers = containers;
        this.namespaces = namespaces;
        this.mounter = mounter;
        this.node = node;
        this.network = network;
        this.dns = dns;
        this.etcFiles = new PodEtcFiles(PodEtcFiles.HostFiles.SYSTEM, dns.config());
        FileTrees.privateDirectory(layout.root()); // pods' secret volumes, logs and the git cache are below
    }

    /** Gives the pod an id and writes its record; nothing runs yet. */
    @Override
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

    @Override
    public PodStartup startup(PodRecord record, ConfigSource config) {
        Pod pod = record.pod();
        // pinning (unshare, loopback up, three bind mounts) and the network's setup (the CNI plugins) overlap the image
        // and snapshot work; on a thread of their own, as the common pool may be busy
        CompletableFuture<SharedNamespaces> pinning = CompletableFuture.supplyAsync(() -> {
            SharedNamespaces shared = namespaces.pin(record.id(), namespaceOptions(pod));
            attach(record, shared);
            ensureDns(record);
            return shared;
        }, task -> new Thread(task, "berth-pin-" + record.id()).start());
        try {
            Map<String, Image> images = images(pod);
            images.values().forEach(image -> snapshotter.unpack(image, content::path));
            SharedNamespaces shared = joinPinning(pinning);
            // the pod's IPs, for the downward API of its volumes and environment
            PodIps ips = PodIps.read(podDir(record.id())).orElse(new PodIps(List.of()));
            PodRecord.showIps(pod, ips);
            Map<String, Path> volumes = new PodVolumes(layout, mounter, config, node).prepare(pod, podDir(record.id()),
                    runsAsRootOnly(pod, images));
            etcFiles.write(pod, podDir(record.id()), ips.ips());
            return new Startup(record, images, volumes, () -> shared, planner(config));
        } catch (RuntimeException e) {
            throw tornDown(record, pinning, e);
        }
    }

    /** What {@link #startup} made ready for the pod's containers, and how far their start has got. */
    private final class Startup implements PodStartup {

        private final PodRecord record;
        private final Map<String, Image> images;
        private final Map<String, Path> volumes;
        private final Supplier<SharedNamespaces> shared;
        private final LaunchPlanner planner;
        private int initStarted;

        Startup(PodRecord record, Map<String, Image> images, Map<String, Path> volumes,
                Supplier<SharedNamespaces> shared, LaunchPlanner planner) {
            this.record = record;
            this.images = images;
            this.volumes = volumes;
            this.shared = shared;
            this.planner = planner;
        }

        @Override
        public Optional<String> next() {
            Pod pod = record.pod();
            String id = record.id();
            List<Container> init = orEmpty(pod.getSpec().getInitContainers());
            try {
                if (initStarted < init.size()) {
                    Container c = init.get(initStarted++);
                    create(id, pod, c, images, volumes, shared, planner, podDir(id));
                    containers.start(containerId(id, c));
                    return Optional.of(containerId(id, c));
                }
                List<Container> app = orEmpty(pod.getSpec().getContainers());
                for (Container c : app) {
                    create(id, pod, c, images, volumes, shared, planner, podDir(id));
                }
                app.forEach(c -> containers.start(containerId(id, c)));
                return Optional.empty();
            } catch (RuntimeException e) {
                throw tornDown(record, CompletableFuture.completedFuture(null), e);
            }
        }

        @Override
        public String again() {
            Pod pod = record.pod();
            Container c = orEmpty(pod.getSpec().getInitContainers()).get(initStarted - 1);
            String id = containerId(record.id(), c);
            try {
                containers.remove(id);
                snapshotter.remove(id);
                keepPreviousLog(podDir(record.id()), c.getName());
                create(record.id(), pod, c, images, volumes, shared, planner, podDir(record.id()));
                containers.start(id);
                return id;
            } catch (RuntimeException e) {
                throw tornDown(record, CompletableFuture.completedFuture(null), e);
            }
        }
    }

    /**
     * Gives the pod its network in its pinned namespace and writes its addresses into its directory; a pod on the
     * host's network has the host's.
     */
    private void attach(PodRecord record, SharedNamespaces shared) {
        Pod pod = record.pod();
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return;
        }
        PodIps ips = network.attach(new PodAttachment(record.id(), record.namespace(), record.name(), shared.network(),
                hostPorts(pod)));
        ips.write(podDir(record.id()));
    }

    /**
     * Starts the pods' DNS server unless it runs; after the record is written, so that a removal meanwhile sees this
     * pod and leaves the server on. A pod starts without it, as the kubelet's do while the cluster DNS is down.
     */
    private void ensureDns(PodRecord record) {
        try {
            dns.ensureRunning();
        } catch (BerthException e) {
            PodEvents.warning(podDir(record.id()), "DNSConfigForming", e.getMessage());
        }
    }

    /** The containers' ports that ask for a host port, as portmap takes them. */
    private static List<PodAttachment.HostPort> hostPorts(Pod pod) {
        List<PodAttachment.HostPort> ports = new ArrayList<>();
        for (Container c : orEmpty(pod.getSpec().getContainers())) {
            for (ContainerPort port : orEmpty(c.getPorts())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    String protocol = port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
                    ports.add(new PodAttachment.HostPort(port.getHostPort(), port.getContainerPort(), protocol,
                            port.getHostIP()));
                }
            }
        }
        return ports;
    }

    /** Tears down what was made for the pod once {@code pinning} is done (only what is done being made is released). */
    private RuntimeException tornDown(PodRecord record, CompletableFuture<SharedNamespaces> pinning, RuntimeException e) {
        try {
            pinning.exceptionally(failure -> null).join();
            teardown(record);
        } catch (RuntimeException cleanup) {
            e.addSuppressed(cleanup);
        }
        return e;
    }

    /**
     * Starts one app container of a running pod again with a fresh rootfs, as the kubelet does after an exit; the
     * log of the run before is kept as {@code NAME.previous.log} for {@code logs --previous}.
     */
    @Override
    public void restartContainer(PodRecord record, String name, ConfigSource config) {
        Pod pod = record.pod();
        Container c = orEmpty(pod.getSpec().getContainers()).stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new BerthException("pod " + record.name() + " has no container " + name));
        String id = containerId(record.id(), c);
        containers.remove(id);
        snapshotter.remove(id);
        Path podDir = podDir(record.id());
        keepPreviousLog(podDir, name);
        Map<String, Image> images = images(pod);
        Map<String, Path> volumes = new PodVolumes(layout, mounter, config, node).locate(pod, podDir);
        boolean pinned = namespaces.isPinned(record.id());
        SharedNamespaces shared = namespaces.pin(record.id(), namespaceOptions(pod));
        if (!pinned) { // a new namespace (after a reboot): the network of the one before went with it
            network.detach(record.id());
            attach(record, shared);
        }
        PodIps ips = PodIps.read(podDir).orElse(new PodIps(List.of()));
        PodRecord.showIps(pod, ips);
        etcFiles.write(pod, podDir, ips.ips()); // a pod started before berth wrote them has none yet
        create(record.id(), pod, c, images, volumes, () -> shared, planner(config), podDir);
        containers.start(id);
    }

    /** Keeps the log of a container's run before as {@code NAME.previous.log}, for {@code logs --previous}. */
    private static void keepPreviousLog(Path podDir, String name) {
        Path log = podDir.resolve("logs").resolve(name + ".log");
        try {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(name + ".previous.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            throw new BerthException("cannot keep the previous log of container " + name + ": " + e.getMessage(), e);
        }
    }

    /** Gives a running pod new labels and annotations: its record, and the volume files that show them. */
    @Override
    public void relabel(String podId, Map<String, String> labels, Map<String, String> annotations, ConfigSource config) {
        Path podDir = podDir(podId);
        PodRecord record = PodRecord.read(podDir).orElseThrow(() -> new BerthException("pod " + podId + " has no record"));
        record.pod().getMetadata().setLabels(new LinkedHashMap<>(labels));
        record.pod().getMetadata().setAnnotations(new LinkedHashMap<>(annotations));
        record.write(podDir);
        new PodVolumes(layout, mounter, config, node).refreshMetadata(record.pod(), podDir);
    }

    @Override
    public void pullImages(Pod pod) {
        images(pod);
    }

    /** Every image of the pod, pulled as its pull policies say. */
    private Map<String, Image> images(Pod pod) {
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
    @Override
    public List<PodRecord> list() {
        return PodRecord.readAll(layout.pods());
    }

    @Override
    public List<String> strayContainers(List<PodRecord> records) {
        java.util.Set<String> known = new java.util.HashSet<>();
        records.forEach(record -> known.addAll(record.containers()));
        return containers.strays(known);
    }

    @Override
    public void removeStrayContainer(String containerId) {
        containers.removeStray(containerId);
        snapshotter.remove(containerId);
    }

    /** Networks still attached whose pod has no record: its directory went, by a crash or by hand. */
    @Override
    public List<String> leftoverNetworks() {
        return network.attached().stream().filter(id -> !Files.exists(podDir(id).resolve(PodRecord.FILE))).toList();
    }

    @Override
    public void removeLeftoverNetwork(String podId) {
        network.detach(podId);
    }

    @Override
    public AutoCloseable watchExits(java.util.function.Consumer<String> onExit) {
        return containers.watchExits(onExit);
    }

    @Override
    public Path podDir(String podId) {
        return layout.pods().resolve(podId);
    }

    @Override
    public ContainerStatus status(String containerId) {
        return containers.state(containerId);
    }

    /** Every container's status by id, from one call to the OCI runtime rather than one per container. */
    @Override
    public Map<String, ContainerStatus> statuses() {
        return containers.states();
    }

    /** Runs a command in a running container: exec probes. */
    @Override
    public dev.berth.runtime.OciRuntime.ExecResult exec(String containerId, List<String> args, Duration timeout) {
        return containers.exec(containerId, args, timeout);
    }

    @Override
    public Socket connect(String podId, InetSocketAddress address, Duration timeout) throws IOException {
        return namespaces.connect(podId, address, timeout);
    }

    /** Stops one container: SIGTERM, then SIGKILL after {@code grace}. */
    @Override
    public ContainerStatus stopContainer(String containerId, Duration grace) {
        return containers.stop(containerId, grace);
    }

    /** Stops every container of the pod that runs, all at once, each with {@code grace}. */
    @Override
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
    @Override
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
        dns.stopUnlessNeeded(this::anyPod); // the pods' DNS server runs while there are pods
    }

    /** Whether a pod is registered: its directory is there under its own name (not yet, or no longer, hidden). */
    private boolean anyPod() {
        try (java.util.stream.Stream<Path> dirs = Files.list(layout.pods())) {
            return dirs.anyMatch(d -> !d.getFileName().toString().startsWith("."));
        } catch (java.io.IOException e) {
            throw new BerthException("cannot list " + layout.pods() + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a crash left in the pods directory under a hidden name: a pod being registered (nothing of it exists yet)
     * or one being deleted (torn down already).
     */
    @Override
    public List<String> leftoverPodDirs() {
        if (!Files.isDirectory(layout.pods())) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> dirs = Files.list(layout.pods())) {
            return dirs.map(d -> d.getFileName().toString()).filter(name -> name.startsWith(".")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new BerthException("cannot list " + layout.pods() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void removeLeftoverPodDir(String name) {
        deleteLeftover(layout.pods().resolve(name));
    }

    private void deleteLeftover(Path dir) {
        mounter.unmountAllUnder(dir);
        try {
            FileTrees.deleteRecursively(dir);
        } catch (java.io.IOException e) {
            throw new BerthException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the pod's containers, rootfs mounts, network, namespaces and volume mounts; its record and files stay.
     */
    @Override
    public void teardown(PodRecord record) {
        record.containers().forEach(id -> {
            containers.remove(id); // also fine for a container the crash left uncreated
            snapshotter.remove(id);
        });
        network.detach(record.id()); // while its namespace is still pinned: the plugins delete the veth in it
        AtomicFiles.delete(podDir(record.id()).resolve(PodIps.FILE));
        namespaces.release(record.id());
        new PodVolumes(layout, mounter, null, null).release(podDir(record.id()));
    }

    private void create(String podId, Pod pod, Container c, Map<String, Image> images,
                        Map<String, Path> volumes, Supplier<SharedNamespaces> shared, LaunchPlanner planner,
                        Path podDir) {
        Image image = images.get(c.getImage());
        String id = containerId(podId, c);
        // none in the host's UTS namespace (hostNetwork), which must keep the host's
        String hostname = Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? null
                : PodHostname.of(pod, dns.config().domain()).utsName();
        snapshotter.unpack(image, content::path);
        ContainerLaunch launch = planner.plan(pod, c, image.runConfig(), files(image));
        var rootfs = snapshotter.prepare(id, image);
        Path log = podDir.resolve("logs").resolve(c.getName() + ".log");
        var mounts = new ArrayList<>(new ContainerVolumes(mounter).mounts(c.getName(), launch.volumes(), volumes,
                PodVolumes.subPathStaging(podDir, c.getName())));
        mounts.addAll(PodEtcFiles.mounts(podDir, launch));
        mounts.add(TerminationMessage.freshMount(podDir, c));
        try {
            containers.create(ContainerSpecs.of(id, hostname, launch, rootfs, mounts, shared.get(), log));
        } catch (ContainerException e) {
            // named as the kubelet names it, so users find the cause where they would look in a cluster
            throw new BerthException("CreateContainerError: container " + c.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * hostNetwork, hostIPC, hostPID and sysctls of the pod, their names dotted as the kubelet passes them on; validate
     * refused sysctls outside the safe set.
     */
    private static NamespaceOptions namespaceOptions(Pod pod) {
        var spec = pod.getSpec();
        Map<String, String> sysctls = new LinkedHashMap<>();
        if (spec.getSecurityContext() != null) {
            orEmpty(spec.getSecurityContext().getSysctls()).forEach(s -> sysctls.put(SysctlNames.dotted(s.getName()),
                    s.getValue()));
        }
        return new NamespaceOptions(Boolean.TRUE.equals(spec.getHostNetwork()), Boolean.TRUE.equals(spec.getHostIPC()),
                Boolean.TRUE.equals(spec.getHostPID()), sysctls);
    }

    private LaunchPlanner planner(ConfigSource config) {
        return new LaunchPlanner(new EnvironmentResolver(config, node), layout.seccompProfiles());
    }

    /** The files of an image's unpacked layers, for its users and groups. */
    private ImageFiles files(Image image) {
        return path -> snapshotter.readFile(image, path, MAX_ACCOUNTS_FILE).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Whether each container of the pod runs as root; also refuses, early, one that breaks runAsNonRoot. */
    private boolean runsAsRootOnly(Pod pod, Map<String, Image> images) {
        List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
        all.addAll(orEmpty(pod.getSpec().getContainers()));
        boolean rootOnly = true;
        for (Container c : all) {
            Image image = images.get(c.getImage());
            ContainerUser user = ContainerUser.resolve(pod.getSpec().getSecurityContext(), c.getSecurityContext(),
                    image.runConfig().user(), files(image), c.getName());
            rootOnly &= user.uid() == 0;
        }
        return rootOnly;
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
}
