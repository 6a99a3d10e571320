package dev.berth.node;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerStatus;
import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reads every pod of the node: records and tracked state from disk, containers from the runtime. */
public final class PodObserver {

    private final Supplier<List<PodRecord>> records;
    private final Function<String, Path> podDirs;
    private final Function<String, ContainerStatus> containers;
    private final Supplier<Map<String, ContainerStatus>> allContainers;

    public PodObserver(PodRuntimePort pods) {
        this(pods::list, pods::podDir, pods::status, pods::statuses);
    }

    /**
     * Observes with the state root and the container runtime alone, for the read-only commands: a full
     * {@link PodRuntime} would open the snapshotter, which tidies the state root as it opens.
     */
    public PodObserver(StateLayout layout, ContainerRuntime runtime) {
        this(() -> PodRecord.readAll(layout.pods()), id -> layout.pods().resolve(id), runtime::state, runtime::states);
    }

    private PodObserver(Supplier<List<PodRecord>> records, Function<String, Path> podDirs,
                        Function<String, ContainerStatus> containers, Supplier<Map<String, ContainerStatus>> allContainers) {
        this.records = records;
        this.podDirs = podDirs;
        this.containers = containers;
        this.allContainers = allContainers;
    }

    /** What one look at the node found: every pod, and every container with a bundle, a pod's or a stray. */
    public record Observation(List<PodSnapshot> pods, Map<String, ContainerStatus> containers) {}

    /**
     * Every pod, oldest first. The runtime is asked once for all containers, after the pods' states are read: a pod
     * whose state says started had its containers made before that, so none is taken for lost while it starts.
     */
    public List<PodSnapshot> observe() {
        return look(false).pods();
    }

    /** As {@link #observe()}, keeping what the runtime said of every container (which it is asked about always). */
    public Observation observeAll() {
        return look(true);
    }

    private Observation look(boolean allContainersWanted) {
        List<PodRecord> all = records.get();
        List<PodState> states = new ArrayList<>();
        boolean anyStarted = false;
        for (PodRecord record : all) {
            PodState state = state(record);
            states.add(state);
            anyStarted |= state.started();
        }
        Map<String, ContainerStatus> live = anyStarted || allContainersWanted ? allContainers.get() : Map.of();
        List<PodSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            // a container with no bundle is absent: PodSnapshot reports it as lost
            snapshots.add(snapshot(all.get(i), states.get(i), id -> Optional.ofNullable(live.get(id))));
        }
        return new Observation(snapshots, live);
    }

    /** The records alone, oldest first: enough to find a pod before asking the runtime about it. */
    public List<PodRecord> records() {
        return records.get();
    }

    public Path podDir(String podId) {
        return podDirs.apply(podId);
    }

    public PodSnapshot observe(PodRecord record) {
        return snapshot(record, state(record), id -> {
            try {
                return Optional.of(containers.apply(id));
            } catch (ContainerException e) {
                return Optional.empty(); // no bundle: the container is gone; PodSnapshot reports it as lost
            }
        });
    }

    private PodState state(PodRecord record) {
        // no state yet: a crash came right after the record; the pod goes through scheduling like a new one
        return PodState.read(podDir(record.id())).orElse(PodState.unscheduled(null, null));
    }

    private static PodSnapshot snapshot(PodRecord record, PodState state,
                                        Function<String, Optional<ContainerStatus>> containers) {
        Map<String, ContainerStatus> live = new LinkedHashMap<>();
        if (state.started()) {
            for (Container c : record.pod().getSpec().getContainers()) {
                containers.apply(PodRuntime.containerId(record.id(), c.getName())).ifPresent(s -> live.put(c.getName(), s));
            }
        }
        return new PodSnapshot(record, state, live);
    }
}
