package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.image.ImagePullException;
import dev.berth.image.ImageReference;
import dev.berth.net.FakePodNetwork;
import dev.berth.net.PodAttachment;
import dev.berth.net.PodIps;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.OciRuntime;
import dev.berth.runtime.RuntimeState;
import dev.berth.store.FileTrees;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The machine as the reconciler sees it, in memory: containers are entries that run until a test makes them exit,
 * and every slow or failing part of a real node (a pull that hangs or fails, a removal that fails, a probe) is the
 * test's to choose. Pod records, states and events are real files under a temporary state root, written by the
 * node's own code, so what the reconciler reads back is what it would read on a node.
 */
public final class FakePodRuntime implements PodRuntimePort {

    /** A container: what runc and conmon would say of it. */
    private static final class FakeContainer {
        RuntimeState.Status status = RuntimeState.Status.RUNNING;
        Integer exitCode;
        Instant finishedAt;
        int pid;
    }

    private final StateLayout layout;
    private final Map<String, FakeContainer> containers = new ConcurrentHashMap<>();
    private final AtomicInteger pids = new AtomicInteger(100);
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Consumer<String>> exitListeners = new CopyOnWriteArrayList<>();
    /** Images that fail to pull, with the reason; images whose pull waits on a latch. */
    private final Map<String, String> badImages = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> stalledImages = new ConcurrentHashMap<>();
    /** Containers whose restart fails, with the error. */
    private final Map<String, String> unrestartable = new ConcurrentHashMap<>();
    /** Pods whose removal fails, with the error. */
    private final Map<String, String> undeletable = new ConcurrentHashMap<>();
    /** How long a container takes to stop: as a process that ignores SIGTERM makes a stop last its grace period. */
    private volatile Duration stopTakes = Duration.ZERO;
    /** Exec probes: the exit code of each command (by its joined words); absent means 0. */
    private final Map<String, Integer> execAnswers = new ConcurrentHashMap<>();
    public final List<String> pulls = new CopyOnWriteArrayList<>();
    public final List<String> execs = new CopyOnWriteArrayList<>();
    public final List<String> removed = new CopyOnWriteArrayList<>();
    public final List<String> started = new CopyOnWriteArrayList<>();
    /** The pods' network: started pods are attached (and get ips.json) as the real runtime attaches them. */
    public final FakePodNetwork network = new FakePodNetwork();

    FakePodRuntime(StateLayout layout) {
        this.layout = layout;
    }

    // ---- what a test does to the machine

    /** The container exits with {@code code} at {@code at}, and conmon's exit file tells of it. */
    public void exit(String containerId, int code, Instant at) {
        FakeContainer c = require(containerId);
        c.status = RuntimeState.Status.STOPPED;
        c.exitCode = code;
        c.finishedAt = at;
        c.pid = 0;
        exitListeners.forEach(l -> l.accept(containerId));
    }

    /** The container vanishes from the runtime with no exit recorded, as when removed behind berth's back. */
    public void vanish(String containerId) {
        containers.remove(containerId);
    }

    public void failPulls(String image, String why) {
        badImages.put(image, why);
    }

    /** Pulls of {@code image} wait until the returned latch is counted down. */
    public CountDownLatch stallPulls(String image) {
        return stalledImages.computeIfAbsent(image, i -> new CountDownLatch(1));
    }

    public void failRestarts(String containerId, String why) {
        unrestartable.put(containerId, why);
    }

    public void failRemoval(String podId, String why) {
        undeletable.put(podId, why);
    }

    public void allowRemoval(String podId) {
        undeletable.remove(podId);
    }

    public void stopsTake(Duration duration) {
        stopTakes = duration;
    }

    public void answerExec(String command, int exitCode) {
        execAnswers.put(command, exitCode);
    }

    /** A container this node made that no pod record names, as a crash between two removals leaves one. */
    public void addStray(String containerId) {
        containers.put(containerId, running());
    }

    public boolean exists(String containerId) {
        return containers.containsKey(containerId);
    }

    public boolean running(String containerId) {
        FakeContainer c = containers.get(containerId);
        return c != null && c.status == RuntimeState.Status.RUNNING;
    }

    public int pid(String containerId) {
        return require(containerId).pid;
    }

    // ---- the port

    @Override
    public List<PodRecord> list() {
        return PodRecord.readAll(layout.pods());
    }

    @Override
    public Path podDir(String podId) {
        return layout.pods().resolve(podId);
    }

    @Override
    public ContainerStatus status(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c == null) {
            throw new ContainerException(ContainerException.Kind.NOT_FOUND, containerId, "no such container");
        }
        return status(containerId, c);
    }

    @Override
    public Map<String, ContainerStatus> statuses() {
        Map<String, ContainerStatus> all = new LinkedHashMap<>();
        containers.forEach((id, c) -> all.put(id, status(id, c)));
        return all;
    }

    @Override
    public PodRecord register(Pod pod) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        pod.getMetadata().setNamespace(namespace);
        String id = namespace + "." + pod.getMetadata().getName() + "." + String.format("%06d", ids.incrementAndGet());
        List<String> ids = new ArrayList<>();
        allContainers(pod).forEach(c -> ids.add(PodRuntime.containerId(id, c.getName())));
        PodRecord record = new PodRecord(id, namespace, pod.getMetadata().getName(), ids, Instant.now(), pod);
        record.write(podDir(id));
        return record;
    }

    @Override
    public void relabel(String podId, Map<String, String> labels, Map<String, String> annotations, ConfigSource config) {
        PodRecord record = PodRecord.read(podDir(podId)).orElseThrow();
        record.pod().getMetadata().setLabels(new LinkedHashMap<>(labels));
        record.pod().getMetadata().setAnnotations(new LinkedHashMap<>(annotations));
        record.write(podDir(podId));
    }

    @Override
    public void pullImages(Pod pod) {
        for (Container c : allContainers(pod)) {
            pulls.add(c.getImage());
            CountDownLatch stall = stalledImages.get(c.getImage());
            if (stall != null) {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BerthException("interrupted");
                }
            }
            String bad = badImages.get(c.getImage());
            if (bad != null) {
                throw new ImagePullException("ErrImagePull", ImageReference.parse(c.getImage()), bad, null);
            }
        }
    }

    @Override
    public PodStartup startup(PodRecord record, ConfigSource config) {
        List<Container> init = orEmpty(record.pod().getSpec().getInitContainers());
        if (!Boolean.TRUE.equals(record.pod().getSpec().getHostNetwork())) {
            network.attach(new PodAttachment(record.id(), record.namespace(), record.name(),
                    Path.of("/run/berth/netns", record.id(), "net"), List.of())).write(podDir(record.id()));
        }
        return new PodStartup() {
            private int next;

            @Override
            public Optional<String> next() {
                if (next < init.size()) {
                    return Optional.of(startInit(init.get(next++)));
                }
                for (Container c : orEmpty(record.pod().getSpec().getContainers())) {
                    String id = PodRuntime.containerId(record.id(), c.getName());
                    TerminationMessage.freshMount(podDir(record.id()), c); // as the real runtime makes each run's file
                    containers.put(id, running());
                    started.add(id);
                }
                return Optional.empty();
            }

            @Override
            public String again() {
                return startInit(init.get(next - 1));
            }

            private String startInit(Container c) {
                String id = PodRuntime.containerId(record.id(), c.getName());
                TerminationMessage.freshMount(podDir(record.id()), c);
                containers.put(id, running());
                return id;
            }
        };
    }

    @Override
    public void restartContainer(PodRecord record, String name, ConfigSource config) {
        String id = PodRuntime.containerId(record.id(), name);
        String why = unrestartable.get(id);
        if (why != null) {
            throw new BerthException("CreateContainerError: container " + name + ": " + why);
        }
        orEmpty(record.pod().getSpec().getContainers()).stream().filter(c -> c.getName().equals(name))
                .forEach(c -> TerminationMessage.freshMount(podDir(record.id()), c));
        containers.put(id, running());
        started.add(id);
    }

    @Override
    public ContainerStatus stopContainer(String containerId, Duration grace) {
        FakeContainer c = require(containerId);
        if (c.status == RuntimeState.Status.RUNNING) {
            try {
                Thread.sleep(stopTakes.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException("interrupted while stopping " + containerId);
            }
            exit(containerId, 137, Instant.now());
        }
        return status(containerId, c);
    }

    @Override
    public void stopAll(PodRecord record, Duration grace) {
        for (String id : record.containers()) {
            if (running(id)) {
                stopContainer(id, grace);
            }
        }
    }

    @Override
    public void remove(String podId) {
        String why = undeletable.get(podId);
        if (why != null) {
            throw new BerthException("cannot remove pod " + podId + ": " + why);
        }
        PodRecord.read(podDir(podId)).ifPresent(this::teardown);
        try {
            FileTrees.deleteRecursively(podDir(podId));
        } catch (IOException e) {
            throw new BerthException(e.getMessage(), e);
        }
        removed.add(podId);
    }

    @Override
    public void teardown(PodRecord record) {
        record.containers().forEach(containers::remove);
        network.detach(record.id());
        try {
            Files.deleteIfExists(podDir(record.id()).resolve(PodIps.FILE));
        } catch (IOException e) {
            throw new BerthException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> leftoverNetworks() {
        return network.attached().stream().filter(id -> PodRecord.read(podDir(id)).isEmpty()).toList();
    }

    @Override
    public void removeLeftoverNetwork(String podId) {
        network.detach(podId);
    }

    @Override
    public List<String> leftoverPodDirs() {
        if (!Files.isDirectory(layout.pods())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(layout.pods())) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        } catch (IOException e) {
            throw new BerthException(e.getMessage(), e);
        }
    }

    @Override
    public void removeLeftoverPodDir(String name) {
        try {
            FileTrees.deleteRecursively(layout.pods().resolve(name));
        } catch (IOException e) {
            throw new BerthException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> strayContainers(List<PodRecord> records) {
        Set<String> known = new HashSet<>();
        records.forEach(r -> known.addAll(r.containers()));
        return containers.keySet().stream().filter(id -> !known.contains(id)).sorted().toList();
    }

    @Override
    public void removeStrayContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public OciRuntime.ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String line = String.join(" ", command);
        execs.add(containerId + ": " + line);
        if (!running(containerId)) {
            throw new BerthException("container " + containerId + " is not running");
        }
        int code = execAnswers.getOrDefault(line, 0);
        return new OciRuntime.ExecResult(code, "", code == 0 ? "" : line + " failed");
    }

    /** From the test's own network namespace: a test's servers on 127.0.0.1 stand for the pod's ports. */
    @Override
    public Socket connect(String podId, InetSocketAddress address, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public AutoCloseable watchExits(Consumer<String> onExit) {
        exitListeners.add(onExit);
        return () -> exitListeners.remove(onExit);
    }

    private FakeContainer running() {
        FakeContainer c = new FakeContainer();
        c.pid = pids.incrementAndGet();
        return c;
    }

    private FakeContainer require(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c == null) {
            throw new ContainerException(ContainerException.Kind.NOT_FOUND, containerId, "no such container");
        }
        return c;
    }

    private static ContainerStatus status(String id, FakeContainer c) {
        return new ContainerStatus(id, c.status, c.pid, c.exitCode, c.finishedAt, false, Path.of("/dev/null"));
    }

    private static List<Container> allContainers(Pod pod) {
        List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
        all.addAll(orEmpty(pod.getSpec().getContainers()));
        return all;
    }
}
