package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import dev.berth.core.ExtendedResources;
import dev.berth.core.Quantity;
import dev.berth.core.ResourceKey;
import dev.berth.scheduler.Decision;
import dev.berth.scheduler.HostPort;
import dev.berth.scheduler.NodeAffinity;
import dev.berth.scheduler.NodeCapacity;
import dev.berth.scheduler.NodeSelectorRequirement;
import dev.berth.scheduler.PodRequest;
import dev.berth.scheduler.PreemptionPolicy;
import dev.berth.scheduler.PriorityClasses;
import dev.berth.scheduler.Requests;
import dev.berth.scheduler.Scheduler;
import dev.berth.scheduler.Taint;
import dev.berth.scheduler.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Translates pods for the pure {@link Scheduler} and asks it which waiting pods the node can take now. */
final class Admission {

    /** The API server's message on a gated pod's PodScheduled condition. */
    static final String GATED = "Scheduling is blocked due to non-empty scheduling gates";

    private final Scheduler scheduler = new Scheduler();
    private final NodeCapacity node;
    private final PriorityClasses priorities;
    private final Supplier<List<HostPort>> listening;

    /** @param listening the ports host processes listen on now; asked only when a waiting pod wants a host port */
    Admission(NodeCapacity node, PriorityClasses priorities, Supplier<List<HostPort>> listening) {
        this.node = node;
        this.priorities = priorities;
        this.listening = listening;
    }

    /** Scheduler keys are {@code Pod <namespace>/<pod id>}: ids are unique where names may repeat. */
    static ResourceKey key(PodSnapshot pod) {
        return new ResourceKey("Pod", pod.record().namespace(), pod.id());
    }

    /**
     * A waiting pod whose PriorityClass does not exist stays waiting with that reason, as the Priority admission
     * refuses it; a running pod whose class was deleted since keeps running, at its own priority or 0. A pod with
     * scheduling gates is not tried, as kube-scheduler keeps it out of its queue until they are removed.
     */
    Decision admit(List<PodSnapshot> running, List<PodSnapshot> waiting) {
        List<PodRequest> queue = new ArrayList<>();
        List<Decision.Pending> refused = new ArrayList<>();
        for (PodSnapshot pod : waiting) {
            if (!orEmpty(pod.record().pod().getSpec().getSchedulingGates()).isEmpty()) {
                refused.add(new Decision.Pending(key(pod), GATED, Decision.Cause.GATED));
                continue;
            }
            try {
                queue.add(request(pod, priority(pod)));
            } catch (BerthException e) {
                refused.add(new Decision.Pending(key(pod), e.getMessage()));
            }
        }
        boolean hostPorts = queue.stream().anyMatch(p -> !p.hostPorts().isEmpty());
        Decision decision = scheduler.schedule(node, running.stream().map(p -> request(p, admittedPriority(p))).toList(),
                queue, hostPorts ? listening.get() : List.of());
        List<Decision.Pending> pending = new ArrayList<>(decision.pending());
        pending.addAll(refused);
        return new Decision(decision.admitted(), pending, decision.preempt());
    }

    private int priority(PodSnapshot pod) {
        PodSpec spec = pod.record().pod().getSpec();
        return priorities.resolve(spec.getPriorityClassName(), spec.getPriority());
    }

    private int admittedPriority(PodSnapshot pod) {
        try {
            return priority(pod);
        } catch (BerthException e) {
            Integer own = pod.record().pod().getSpec().getPriority();
            return own == null ? 0 : own;
        }
    }

    private PodRequest request(PodSnapshot pod, int priority) {
        PodSpec spec = pod.record().pod().getSpec();
        Requests requests = Requests.effective(orEmpty(spec.getInitContainers()).stream().map(Admission::requests).toList(),
                orEmpty(spec.getContainers()).stream().map(Admission::requests).toList());
        List<Toleration> tolerations = orEmpty(spec.getTolerations()).stream().map(Admission::toleration).toList();
        PreemptionPolicy policy = "Never".equals(spec.getPreemptionPolicy()) ? PreemptionPolicy.NEVER
                : PreemptionPolicy.PREEMPT_LOWER_PRIORITY;
        return new PodRequest(key(pod), requests, priority, pod.record().createdAt(), spec.getNodeSelector(),
                nodeAffinity(spec), tolerations, policy, hostPorts(spec));
    }

    /** As kube-scheduler counts them: the app containers' host ports; a hostNetwork pod's container ports are. */
    private static List<HostPort> hostPorts(PodSpec spec) {
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        List<HostPort> ports = new ArrayList<>();
        for (Container c : orEmpty(spec.getContainers())) {
            for (ContainerPort port : orEmpty(c.getPorts())) {
                int hostPort = port.getHostPort() != null && port.getHostPort() > 0 ? port.getHostPort()
                        : hostNetwork && port.getContainerPort() != null ? port.getContainerPort() : 0;
                if (hostPort > 0) {
                    ports.add(new HostPort(port.getProtocol(), port.getHostIP(), hostPort));
                }
            }
        }
        return ports;
    }

    /** A container's requests; a limit stands in for a missing request, as in Kubernetes. */
    private static Requests requests(Container c) {
        var resources = c.getResources();
        Map<String, ?> requests = resources == null ? Map.of() : orEmpty(resources.getRequests());
        Map<String, ?> limits = resources == null ? Map.of() : orEmpty(resources.getLimits());
        BigDecimal cpu = amount(requests, limits, "cpu");
        BigDecimal memory = amount(requests, limits, "memory");
        Map<String, Long> extended = new HashMap<>();
        for (String name : union(requests, limits)) {
            if (ExtendedResources.isExtended(name)) {
                // validate refuses fractions; rounding up keeps an odd record from taking less than it asked
                extended.put(name, amount(requests, limits, name).setScale(0, RoundingMode.CEILING).longValueExact());
            }
        }
        return new Requests(cpu == null ? 0 : cpu.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact(),
                memory == null ? 0 : memory.setScale(0, RoundingMode.CEILING).longValueExact(), extended);
    }

    private static List<String> union(Map<String, ?> requests, Map<String, ?> limits) {
        List<String> names = new ArrayList<>(requests.keySet());
        limits.keySet().stream().filter(name -> !requests.containsKey(name)).forEach(names::add);
        return names;
    }

    /** The required terms only: preferred ones cannot change anything with one node (see SchedulingFields). */
    private static NodeAffinity nodeAffinity(PodSpec spec) {
        var affinity = spec.getAffinity() == null ? null : spec.getAffinity().getNodeAffinity();
        var required = affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            return NodeAffinity.NONE;
        }
        return new NodeAffinity(orEmpty(required.getNodeSelectorTerms()).stream()
                .map(t -> new NodeAffinity.Term(requirements(t.getMatchExpressions()), requirements(t.getMatchFields())))
                .toList());
    }

    private static List<NodeSelectorRequirement> requirements(
            List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> written) {
        return orEmpty(written).stream().map(r -> new NodeSelectorRequirement(r.getKey(), operator(r.getOperator()),
                r.getValues())).toList();
    }

    /** validate has refused any other spelling. */
    private static NodeSelectorRequirement.Operator operator(String written) {
        return switch (written) {
            case "In" -> NodeSelectorRequirement.Operator.IN;
            case "NotIn" -> NodeSelectorRequirement.Operator.NOT_IN;
            case "Exists" -> NodeSelectorRequirement.Operator.EXISTS;
            case "DoesNotExist" -> NodeSelectorRequirement.Operator.DOES_NOT_EXIST;
            case "Gt" -> NodeSelectorRequirement.Operator.GT;
            case "Lt" -> NodeSelectorRequirement.Operator.LT;
            default -> throw new BerthException("not a valid node selector operator: \"" + written + "\"");
        };
    }

    private static BigDecimal amount(Map<String, ?> requests, Map<String, ?> limits, String name) {
        Object v = requests.containsKey(name) ? requests.get(name) : limits.get(name);
        return v == null ? null : Quantity.parse(String.valueOf(v)).value();
    }

    private static Toleration toleration(io.fabric8.kubernetes.api.model.Toleration t) {
        Toleration.Operator operator = "Exists".equals(t.getOperator()) ? Toleration.Operator.EXISTS : Toleration.Operator.EQUAL;
        Taint.Effect effect = t.getEffect() == null || t.getEffect().isEmpty() ? null : switch (t.getEffect()) {
            case "NoSchedule" -> Taint.Effect.NO_SCHEDULE;
            case "PreferNoSchedule" -> Taint.Effect.PREFER_NO_SCHEDULE;
            default -> Taint.Effect.NO_EXECUTE;
        };
        return new Toleration(t.getKey(), operator, t.getValue(), effect);
    }
}
