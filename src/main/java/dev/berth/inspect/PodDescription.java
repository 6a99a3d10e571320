package dev.berth.inspect;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.node.PodEvents;
import dev.berth.node.PodSnapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code berth describe pod}: kubectl describe's layout, from the pod's record, tracked state and events. */
public final class PodDescription {

    private final PodSnapshot pod;
    private final Instant now;
    private final ZoneId zone;
    private final StringBuilder out = new StringBuilder();

    private PodDescription(PodSnapshot pod, Instant now, ZoneId zone) {
        this.pod = pod;
        this.now = now;
        this.zone = zone;
    }

    /** @param zone where times are shown, the node's own as kubectl shows them in the local zone */
    public static String render(PodSnapshot pod, List<PodEvents.Event> events, Instant now, ZoneId zone) {
        PodDescription d = new PodDescription(pod, now, zone);
        d.header();
        List<ContainerView> containers = ContainerView.of(pod);
        d.containers("Init Containers", containers.stream().filter(ContainerView::init).toList());
        d.containers("Containers", containers.stream().filter(c -> !c.init()).toList());
        d.conditions();
        VolumeDescription.append(orEmpty(pod.record().pod().getSpec().getVolumes()), d.out);
        EventTable.append(events, now, d.out);
        return TabWriter.DESCRIBE.format(d.out.toString());
    }

    private void header() {
        var meta = pod.record().pod().getMetadata();
        line(0, "Name:", pod.record().name());
        line(0, "Namespace:", pod.record().namespace());
        line(0, "Node:", "localhost");
        line(0, "Start Time:", Ages.date(pod.record().createdAt(), zone));
        multiline("Labels:", new TreeMap<>(orEmpty(meta.getLabels())), "=");
        multiline("Annotations:", new TreeMap<>(orEmpty(meta.getAnnotations())), ": ");
        line(0, "Status:", pod.phase().toString());
        if (pod.reason() != null) {
            line(0, "Reason:", pod.reason());
        }
        if (pod.state().message() != null) {
            line(0, "Message:", pod.state().message());
        }
        String ip = PodSummary.ip(pod);
        line(0, "IP:", ip == null ? "<none>" : ip);
        var status = pod.record().pod().getStatus();
        if (status != null && !orEmpty(status.getPodIPs()).isEmpty()) {
            heading(0, "IPs:");
            status.getPodIPs().forEach(each -> line(1, "IP:", each.getIp()));
        }
        pod.owner().ifPresent(owner -> line(0, "Controlled By:", owner.kind() + "/" + owner.name()));
    }

    /** kubectl's multi-line fields: the first entry beside the title, the others aligned under it. */
    private void multiline(String title, Map<String, String> entries, String separator) {
        if (entries.isEmpty()) {
            line(0, title, "<none>");
            return;
        }
        String label = title;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            line(0, label, e.getKey() + separator + e.getValue());
            label = "";
        }
    }

    private void containers(String title, List<ContainerView> containers) {
        if (containers.isEmpty()) {
            return;
        }
        heading(0, title + ":");
        for (ContainerView c : containers) {
            Container spec = c.spec();
            heading(1, c.name() + ":");
            line(2, "Container ID:", c.runtimeId());
            line(2, "Image:", spec.getImage());
            List<ContainerPort> ports = orEmpty(spec.getPorts());
            line(2, ports.size() > 1 ? "Ports:" : "Port:", ports.isEmpty() ? "<none>" : ports.stream()
                    .map(p -> p.getContainerPort() + "/" + Objects.requireNonNullElse(p.getProtocol(), "TCP"))
                    .collect(Collectors.joining(", ")));
            List<ContainerPort> published = ports.stream().filter(p -> p.getHostPort() != null && p.getHostPort() > 0)
                    .toList();
            if (!published.isEmpty()) {
                line(2, published.size() > 1 ? "Host Ports:" : "Host Port:", published.stream()
                        .map(p -> p.getHostPort() + "/" + Objects.requireNonNullElse(p.getProtocol(), "TCP"))
                        .collect(Collectors.joining(", ")));
            }
            state("State:", c.state());
            if (c.lastState() != null) {
                state("Last State:", c.lastState());
            }
            line(2, "Ready:", c.ready() ? "True" : "False");
            line(2, "Restart Count:", String.valueOf(c.restarts()));
            if (spec.getResources() != null) {
                resources("Limits:", spec.getResources().getLimits());
                resources("Requests:", spec.getResources().getRequests());
            }
            mounts(orEmpty(spec.getVolumeMounts()));
        }
    }

    private void state(String title, ContainerView.State state) {
        line(2, title, state.name());
        if (state.reason() != null) {
            line(3, "Reason:", state.reason());
        }
        if (state.message() != null && !state.message().isEmpty()) {
            line(3, "Message:", state.message());
        }
        if (state.exitCode() != null) {
            line(3, "Exit Code:", String.valueOf(state.exitCode()));
        }
        if (state.startedAt() != null) {
            line(3, "Started:", Ages.date(state.startedAt(), zone));
        }
        if (state.finishedAt() != null) {
            line(3, "Finished:", Ages.date(state.finishedAt(), zone));
        }
    }

    private void resources(String title, Map<String, Quantity> quantities) {
        if (quantities == null || quantities.isEmpty()) {
            return;
        }
        heading(2, title);
        new TreeMap<>(quantities).forEach((name, q) -> line(3, name + ":", q.toString()));
    }

    private void mounts(List<VolumeMount> mounts) {
        if (mounts.isEmpty()) {
            line(2, "Mounts:", "<none>");
            return;
        }
        heading(2, "Mounts:");
        mounts.stream().sorted(Comparator.comparing(VolumeMount::getMountPath)).forEach(m -> heading(3,
                m.getMountPath() + " from " + m.getName() + " (" + (Boolean.TRUE.equals(m.getReadOnly()) ? "ro" : "rw")
                        + (m.getSubPath() == null || m.getSubPath().isEmpty() ? "" : ",path=\"" + m.getSubPath() + "\"")
                        + ")"));
    }

    /** The pod's conditions, from what the node tracks: admitted, init containers done, every container ready. */
    private void conditions() {
        heading(0, "Conditions:");
        line(1, "Type", "Status");
        line(1, "PodScheduled", bool(pod.state().scheduled()));
        line(1, "Initialized", bool(pod.state().started()));
        line(1, "ContainersReady", bool(pod.ready()));
        line(1, "Ready", bool(pod.ready()));
    }

    private static String bool(boolean value) {
        return value ? "True" : "False";
    }

    private void heading(int level, String text) {
        out.append("  ".repeat(level)).append(text).append('\n');
    }

    private void line(int level, String key, String value) {
        out.append("  ".repeat(level)).append(key).append('\t').append(value).append('\n');
    }
}
