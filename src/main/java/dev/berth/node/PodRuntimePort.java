package dev.berth.node;

import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.OciRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the node's reconciler asks of the machine: pods' records and containers, their starts, stops and removals,
 * probes and exit events. {@link PodRuntime} does it with images, runc and conmon; tests put a fake in its place, so
 * that the reconciler's timing and error paths run in milliseconds and without root. Each call returns within a
 * bound (every runtime command and registry read has a deadline), but some take seconds: the reconciler makes them on
 * its pod workers, never in a pass.
 */
public interface PodRuntimePort {

    /** Every pod with a record on this node, oldest first. */
    List<PodRecord> list();

    /** The pod's directory under the state root: its record, state, events, logs and volumes. */
    Path podDir(String podId);

    /** One container's status; throws a ContainerException of kind NOT_FOUND when it has no bundle. */
    ContainerStatus status(String containerId);

    /** Every container's status by id, from one call to the OCI runtime. */
    Map<String, ContainerStatus> statuses();

    /** Gives the pod an id and writes its record; nothing runs yet. */
    PodRecord register(Pod pod);

    /**
     * Gives a running pod new labels and annotations, as an update of a Pod's metadata does in a cluster: its record,
     * and the downward API files that show them (its containers' environment stays as it was started).
     */
    void relabel(String podId, Map<String, String> labels, Map<String, String> annotations, ConfigSource config);

    /** Makes every image of the pod present, as its pull policies say. */
    void pullImages(Pod pod);

    /**
     * Begins the pod's start: images, volumes, shared namespaces. On failure whatever was made is torn down again; the
     * record stays.
     */
    PodStartup startup(PodRecord record, ConfigSource config);

    /** Starts one app container of a started pod again, with a fresh rootfs, keeping its previous log. */
    void restartContainer(PodRecord record, String name, ConfigSource config);

    /** SIGTERM to one container, SIGKILL after {@code grace}; returns once it has stopped. */
    ContainerStatus stopContainer(String containerId, Duration grace);

    /** Stops every container of the pod that runs, all at once, each with {@code grace}. */
    void stopAll(PodRecord record, Duration grace);

    /** Removes every container, rootfs, namespace and volume of the pod, then its directory (claim data stays). */
    void remove(String podId);

    /** Removes the pod's containers, mounts, namespaces and volume mounts; its record and files stay. */
    void teardown(PodRecord record);

    /** Pod directories a crash left under a hidden name (being registered or deleted), by name. */
    List<String> leftoverPodDirs();

    void removeLeftoverPodDir(String name);

    /** This node's containers that no record names (see ContainerRuntime#strays); asks nothing of the OCI runtime. */
    List<String> strayContainers(List<PodRecord> records);

    void removeStrayContainer(String containerId);

    /**
     * Pods whose network is still attached though no record names them any more (berth was killed between the two):
     * their veth, address lease and host-port rules, by pod id.
     */
    List<String> leftoverNetworks();

    /** Detaches a pod's network by what was kept when it was attached; a network already gone is no error. */
    void removeLeftoverNetwork(String podId);

    /** Runs a command in a running container; a command past {@code timeout} is killed, and reported by throwing. */
    OciRuntime.ExecResult exec(String containerId, List<String> command, Duration timeout);

    /**
     * A TCP connection to {@code address} as the pod sees it, for its httpGet and tcpSocket probes: opened inside the
     * pod's network namespace, where its own ports answer on 127.0.0.1 and on its IP.
     *
     * @throws IOException as {@link java.net.Socket#connect(java.net.SocketAddress, int)} throws it
     */
    Socket connect(String podId, InetSocketAddress address, Duration timeout) throws IOException;

    /**
     * Tells {@code onExit} of each container exit from now on, by container id (null: any may have exited); closing
     * the returned handle stops it.
     */
    AutoCloseable watchExits(Consumer<String> onExit);
}
