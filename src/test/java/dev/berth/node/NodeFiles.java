package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.store.StateLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what the node writes about its pods, with the node's own (package-private) writers, so that tests of the
 * read-only commands read real files; ids and times are the test's choice instead of random and now.
 */
public final class NodeFiles {

    private final StateLayout layout;

    public NodeFiles(StateLayout layout) {
        this.layout = layout;
    }

    /** Records {@code pod} (namespace defaulted) under {@code id}, as PodRuntime.register does. */
    public PodRecord pod(String id, Pod pod, Instant createdAt) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        pod.getMetadata().setNamespace(namespace);
        List<String> containers = new ArrayList<>();
        for (Container c : orEmpty(pod.getSpec().getInitContainers())) {
            containers.add(PodRuntime.containerId(id, c.getName()));
        }
        for (Container c : orEmpty(pod.getSpec().getContainers())) {
            containers.add(PodRuntime.containerId(id, c.getName()));
        }
        PodRecord record = new PodRecord(id, namespace, pod.getMetadata().getName(), containers, createdAt, pod);
        record.write(dir(id));
        return record;
    }

    public void state(String id, PodState state) {
        state.write(dir(id));
    }

    public void event(String id, Instant at, String type, String reason, String message) {
        PodEvents.append(dir(id), new PodEvents.Event(at, type, reason, message));
    }

    public Path dir(String id) {
        return layout.pods().resolve(id);
    }
}
