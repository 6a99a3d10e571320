package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.net.service.ServiceEndpoints;
import dev.berth.net.service.ServiceIps;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods serve a Service, as the endpoints controller finds them: pods of its namespace that match its selector,
 * and of those the ready ones with an IP that are not terminating (kube-proxy's rule: a terminating pod takes no new
 * connection). A named targetPort is looked up in each pod's containers; a pod without it serves not that port.
 */
final class ServiceBackends {

    /**
     * A pod as a Service's endpoint may be made of it.
     *
     * @param ip the pod's IP; null while it has none (no network yet, or the host's)
     */
    record Backend(String podId, String namespace, Map<String, String> labels, List<Container> containers,
                   boolean ready, boolean terminating, String ip) {

        static Backend of(PodSnapshot pod, String ip) {
            return new Backend(pod.id(), pod.record().namespace(), orEmpty(pod.record().pod().getMetadata().getLabels()),
                    pod.appContainers(), pod.ready(), pod.state().terminating(), ip);
        }
    }

    /**
     * One Service's endpoints.
     *
     * @param matched pods its selector matches, not terminating, ready or not
     * @param ready   pods serving at least one of its ports
     */
    record Selected(ServiceEndpoints service, int matched, int ready) {}

    private ServiceBackends() {}

    /** @param allocation the Service's IP and node ports */
    static Selected select(Service service, ServiceIps.Allocation allocation, List<Backend> pods) {
        var meta = service.getMetadata();
        Map<String, String> selector = orEmpty(service.getSpec().getSelector());
        List<Backend> matched = pods.stream().filter(p -> !p.terminating() && p.namespace().equals(meta.getNamespace())
                && !selector.isEmpty() && p.labels().entrySet().containsAll(selector.entrySet())).toList();
        Set<String> serving = new LinkedHashSet<>();
        List<ServiceEndpoints.Port> ports = new ArrayList<>();
        for (ServicePort port : orEmpty(service.getSpec().getPorts())) {
            List<ServiceEndpoints.Endpoint> endpoints = new ArrayList<>();
            for (Backend pod : matched) {
                if (pod.ready() && pod.ip() != null) {
                    targetPort(port, pod).ifPresent(target -> {
                        endpoints.add(new ServiceEndpoints.Endpoint(pod.podId(), pod.ip(), target));
                        serving.add(pod.podId());
                    });
                }
            }
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
            Integer nodePort = allocation.nodePorts().get(ServiceIps.Request.portKey(port.getPort(), protocol));
            ports.add(new ServiceEndpoints.Port(port.getName() == null ? "" : port.getName(), protocol, port.getPort(),
                    nodePort == null ? 0 : nodePort, endpoints));
        }
        return new Selected(new ServiceEndpoints(meta.getNamespace(), meta.getName(), allocation.clusterIP(), ports),
                matched.size(), serving.size());
    }

    /** The pod's port for the Service port: its number, or the pod's container port of that name and protocol. */
    static Optional<Integer> targetPort(ServicePort port, Backend pod) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
            return Optional.of(port.getPort());
        }
        if (target.getStrVal() == null) {
            return Optional.of(target.getIntVal());
        }
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        for (Container c : pod.containers()) {
            for (ContainerPort p : orEmpty(c.getPorts())) {
                String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
                if (target.getStrVal().equals(p.getName()) && protocol.equals(pp)) {
                    return Optional.of(p.getContainerPort());
                }
            }
        }
        return Optional.empty();
    }
}
