package dev.berth.inspect;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.node.PodRecord;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Comparator;
import java.util.List;

/** Finds the pod and the container a user names, with kubectl's words when there is no such thing. */
public final class PodLookup {

    private PodLookup() {}

    /**
     * The pod {@code name} in {@code namespace}; when a replaced pod and its replacement share the name, the newest.
     * A pod id (as {@code berth status -o json} gives it) is accepted too.
     */
    public static PodRecord find(List<PodRecord> records, String namespace, String name) {
        return records.stream()
                .filter(r -> r.id().equals(name) || r.namespace().equals(namespace) && r.name().equals(name))
                .max(Comparator.comparing(PodRecord::createdAt))
                .orElseThrow(() -> notFound(records, namespace, name));
    }

    private static BerthException notFound(List<PodRecord> records, String namespace, String name) {
        String elsewhere = records.stream().filter(r -> r.name().equals(name)).map(PodRecord::namespace)
                .findFirst().map(ns -> " (there is one in namespace " + ns + ": -n " + ns + ")").orElse("");
        return new BerthException("pod \"" + name + "\" not found in namespace \"" + namespace + "\"" + elsewhere);
    }

    /** The container {@code name} of the pod, or its only app container when {@code name} is null. */
    public static String container(PodRecord record, String name) {
        PodSpec spec = record.pod().getSpec();
        List<String> app = orEmpty(spec.getContainers()).stream().map(Container::getName).toList();
        List<String> init = orEmpty(spec.getInitContainers()).stream().map(Container::getName).toList();
        if (name == null) {
            if (app.size() == 1) {
                return app.get(0);
            }
            throw new BerthException("a container name must be specified for pod " + record.name() + ", choose one of: "
                    + brackets(app) + (init.isEmpty() ? "" : " or one of the init containers: " + brackets(init)));
        }
        if (!app.contains(name) && !init.contains(name)) {
            throw new BerthException("container " + name + " is not valid for pod " + record.name());
        }
        return name;
    }

    private static String brackets(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
