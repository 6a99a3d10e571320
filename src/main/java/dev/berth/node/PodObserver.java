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
import java.util.function.Function;
import java.util.function.Supplier;

/** Reads every pod of the node: records and tracked state from disk, containers from the runtime. */
public final class PodObserver {

    private final Supplier<List<PodRecord>> records;
    private final Function<String, Path> podDirs;
    private final Function<String, ContainerStatus> containers;

    public PodObserver(PodRuntime pods) {
        this(pods::list, pods::podDir, pods::status);
    }

    /**
     * Observes with the state root and the container runtime alone, for the read-only commands: a full
     * {@link PodRuntime} would open the snapshotter, which tidies the state root as it opens.
     */
    public PodObserver(StateLayout layout, ContainerRuntime runtime) {
        this(() -> PodRecord.readAll(layout.pods()), id -> layout.pods().resolve(id), runtime::state);
    }

    private PodObserver(Supplier<List<PodRecord>> records, Function<String, Path> podDirs,
                        Function<String, ContainerStatus> containers) {
        this.records = records;
        this.podDirs = podDirs;
        this.containers = containers;
    }

    /** Every pod, oldest first. */
    public List<PodSnapshot> observe() {
        List<PodSnapshot> all = new ArrayList<>();
        for (PodRecord record : records.get()) {
            all.add(observe(record));
        }
        return all;
    }

    /** The records alone, oldest first: enough to find a pod before asking the runtime about it. */
    public List<PodRecord> records() {
        return records.get();
    }

    public Path podDir(String podId) {
        return podDirs.apply(podId);
    }

    public PodSnapshot observe(PodRecord record) {
        // no state yet: a crash came right after the record; the pod goes through scheduling like a new one
        PodState state = PodState.read(podDir(record.id())).orElse(PodState.unscheduled(null, null));
        Map<String, ContainerStatus> live = new LinkedHashMap<>();
        if (state.started()) {
            for (Container c : record.pod().getSpec().getContainers()) {
                try {
                    live.put(c.getName(), containers.apply(PodRuntime.containerId(record.id(), c.getName())));
                } catch (ContainerException e) {
                    // no bundle: the container is gone; PodSnapshot reports it as lost
                }
            }
        }
        return new PodSnapshot(record, state, live);
    }
}
