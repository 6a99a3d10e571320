package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.DownwardFieldPath;
import dev.berth.core.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values the downward API gives one pod, as the kubelet computes them: its fields by {@code fieldPath}, and its
 * containers' resources by {@code resourceFieldRef}, in units of a divisor, rounded up.
 */
final class DownwardApi {

    private final Pod pod;
    private final NodeFacts node;

    DownwardApi(Pod pod, NodeFacts node) {
        this.pod = pod;
        this.node = node;
    }

    String field(String fieldPath) {
        DownwardFieldPath path = DownwardFieldPath.parse(fieldPath);
        var meta = pod.getMetadata();
        if (path.subscript() != null) {
            Map<String, String> map = path.path().equals(DownwardFieldPath.LABELS) ? orEmpty(meta.getLabels())
                    : orEmpty(meta.getAnnotations());
            return map.getOrDefault(path.subscript(), "");
        }
        return switch (path.path()) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case DownwardFieldPath.LABELS -> formatMap(orEmpty(meta.getLabels()));
            case DownwardFieldPath.ANNOTATIONS -> formatMap(orEmpty(meta.getAnnotations()));
            case "spec.nodeName" -> node.name();
            // the ServiceAccount admission of an API server sets "default" on a pod that names none
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default"
                    : pod.getSpec().getServiceAccountName();
            case "status.hostIP" -> node.hostIPs().isEmpty() ? "" : node.hostIPs().get(0);
            case "status.hostIPs" -> String.join(",", node.hostIPs());
            case "status.podIP" -> podIPs().isEmpty() ? "" : podIPs().get(0);
            case "status.podIPs" -> String.join(",", podIPs());
            default -> throw new BerthException("fieldRef " + fieldPath + " is not supported");
        };
    }

    /**
     * The pod's addresses: the host's for a hostNetwork pod, as the kubelet reports them; else its
     * {@code status.podIPs}, which the pod's record fills from its network's addresses ({@code ips.json}).
     */
    private List<String> podIPs() {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return node.hostIPs();
        }
        return pod.getStatus() == null ? List.of()
                : orEmpty(pod.getStatus().getPodIPs()).stream().map(PodIP::getIp).toList();
    }

    /**
     * A resource of {@code containerName} in units of {@code divisor} (1 when null or zero), rounded up. A missing
     * limit is the node's allocatable amount, as the kubelet fills it; a missing request is the limit the API server
     * would have defaulted it to, else 0.
     */
    String resource(String containerName, String resource, Quantity divisor) {
        Container c = container(containerName);
        String[] parts = resource.split("\\.", 2);
        if (parts.length != 2 || !DownwardFieldPath.RESOURCES.contains(resource)) {
            throw new BerthException("resourceFieldRef " + resource + " is not supported");
        }
        BigDecimal amount = parts[0].equals("limits") ? limit(c, parts[1]) : request(c, parts[1]);
        BigDecimal unit = divisor == null || divisor.value().signum() == 0 ? BigDecimal.ONE : divisor.value();
        if (parts[1].equals("cpu")) { // the kubelet divides millicores, so a divisor finer than 1m counts as 1m
            amount = amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
            unit = unit.movePointRight(3).setScale(0, RoundingMode.DOWN).max(BigDecimal.ONE);
        }
        return amount.divide(unit, 0, RoundingMode.CEILING).toPlainString();
    }

    private BigDecimal limit(Container c, String name) {
        Quantity set = quantity(c.getResources() == null ? null : c.getResources().getLimits(), name);
        if (set != null && set.value().signum() != 0) {
            return set.value();
        }
        return switch (name) {
            case "cpu" -> BigDecimal.valueOf(node.cpuMillis()).movePointLeft(3);
            case "memory" -> BigDecimal.valueOf(node.memoryBytes());
            default -> BigDecimal.valueOf(node.ephemeralStorageBytes());
        };
    }

    private static BigDecimal request(Container c, String name) {
        var r = c.getResources();
        Quantity set = quantity(r == null ? null : r.getRequests(), name);
        Quantity limit = quantity(r == null ? null : r.getLimits(), name);
        return set != null ? set.value() : limit != null ? limit.value() : BigDecimal.ZERO;
    }

    private static Quantity quantity(Map<String, io.fabric8.kubernetes.api.model.Quantity> list, String name) {
        var q = list == null ? null : list.get(name);
        return q == null ? null : Quantity.parse(q.toString());
    }

    private Container container(String name) {
        List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getContainers()));
        all.addAll(orEmpty(pod.getSpec().getInitContainers()));
        return all.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new BerthException("resourceFieldRef: the pod has no container \"" + name + "\""));
    }

    /** {@code key="value"} lines, sorted by key, each value quoted as Go's %q quotes it: the kubelet's format. */
    static String formatMap(Map<String, String> map) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(map).forEach((k, v) -> lines.add(k + "=" + goQuoted(v)));
        return String.join("\n", lines);
    }

    private static String goQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (Character.isISOControl(cp) || !Character.isDefined(cp)) {
                        out.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
