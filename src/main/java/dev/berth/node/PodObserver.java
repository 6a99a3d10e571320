package dev.berth.node;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every pod of the node: records and tracked state from disk, containers from the runtime. */
public final class PodObserver {

    private final PodRuntime pods;

    public PodObserver(PodRuntime pods) {
        this.pods = pods;
    }

    public List<PodSnapshot> observe() {
        List<PodSnapshot> all = new ArrayList<>();
        for (PodRecord record : pods.list()) {
            all.add(observe(record));
        }
        return all;
    }

    public PodSnapshot observe(PodRecord record) {
        // no state yet: a crash came right after the record; the pod goes through scheduling like a new one
        PodState state = PodState.read(pods.podDir(record.id())).orElse(PodState.unscheduled("Pending", "waiting to be scheduled"));
        Map<String, ContainerStatus> containers = new LinkedHashMap<>();
        if (state.started()) {
            for (Container c : record.pod().getSpec().getContainers()) {
                try {
                    containers.put(c.getName(), pods.status(PodRuntime.containerId(record.id(), c.getName())));
                } catch (ContainerException e) {
                    // no bundle: the container is gone; PodSnapshot reports it as lost
                }
            }
        }
        return new PodSnapshot(record, state, containers);
    }
}
