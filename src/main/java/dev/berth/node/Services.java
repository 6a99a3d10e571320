package dev.berth.node;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.ResourceKey;
import dev.berth.manifest.DesiredState;
import dev.berth.manifest.Manifest;
import dev.berth.net.PodIps;
import dev.berth.net.service.ServiceEndpoints;
import dev.berth.net.service.ServiceIps;
import dev.berth.net.service.ServiceProxy;
import dev.berth.node.workload.Health;
import dev.berth.store.StateLayout;
import dev.berth.store.WriteBatch;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Services' part of a pass, kube-proxy's work on this node: gives each applied Service its IP and node ports,
 * finds its endpoints among the pods as the pass left them, has the {@link ServiceProxy} put the rules in place, and
 * writes each Service's health ({@code N ready endpoints}). A pod that starts terminating is withdrawn at once,
 * before its containers are signalled ({@link #withdraw}).
 */
final class Services {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);
    private static final Set<String> WITH_NODE_PORTS = Set.of("NodePort", "LoadBalancer");
    /** A status line names this many endpoints, then counts the rest. */
    private static final int SHOWN_ENDPOINTS = 3;

    private final StateLayout layout;
    private final ServiceProxy proxy;
    private final ServiceIps ips;
    private final Function<String, Path> podDirs;
    /** The host's primary address: a hostNetwork pod's IP. */
    private final Supplier<Optional<String>> hostIp;
    /** What the proxy was last given. */
    private List<ServiceEndpoints> synced = List.of();

    Services(StateLayout layout, ServiceProxy proxy, ServiceIps ips, Function<String, Path> podDirs,
             Supplier<Optional<String>> hostIp) {
        this.layout = layout;
        this.proxy = proxy;
        this.ips = ips;
        this.podDirs = podDirs;
        this.hostIp = hostIp;
    }

    /** @param pods the node's pods as the pass left them, those it is removing marked terminating or left out */
    synchronized void sync(DesiredState applied, List<PodSnapshot> pods, Instant now) {
        List<Manifest> manifests = applied.manifests().stream().filter(m -> m.key().kind().equals("Service")).toList();
        Map<ResourceKey, Service> services = new LinkedHashMap<>();
        List<ServiceIps.Request> requests = new ArrayList<>();
        for (Manifest m : manifests) {
            Service service = (Service) m.typed();
            if (!"ExternalName".equals(service.getSpec().getType())) { // a DNS alias only
                services.put(m.key(), service);
                requests.add(request(m, service));
            }
        }
        if (services.isEmpty() && !Files.exists(layout.serviceIps())) {
            return; // no Service was ever applied to this state root: it made no rules, and leaves the host's alone
        }
        ServiceIps.Assigned assigned = ips.assign(requests);
        List<ServiceBackends.Backend> backends = backends(services.values(), pods);
        List<ServiceEndpoints> proxied = new ArrayList<>();
        Map<ResourceKey, WorkloadStatus> statuses = new LinkedHashMap<>();
        services.forEach((key, service) -> {
            String name = key.namespace() + "/" + key.name();
            ServiceIps.Allocation allocation = assigned.allocations().get(name);
            if (allocation == null) {
                statuses.put(key, new WorkloadStatus(Health.DEGRADED, assigned.errors().get(name), now, Map.of(), 0,
                        assigned.errors().get(name)));
                return;
            }
            ServiceBackends.Selected selected = ServiceBackends.select(service, allocation, backends);
            proxied.add(selected.service());
            statuses.put(key, status(service, selected, now));
        });
        String failed = push(proxied);
        WriteBatch batch = new WriteBatch();
        statuses.forEach((key, status) -> {
            WorkloadStatus s = failed == null || status.lastError() != null ? status : new WorkloadStatus(
                    status.health(), status.message(), now, Map.of(), 0, "cannot put the Service rules in place: " + failed);
            s.writeOver(WorkloadStatus.read(layout, key).orElse(null), layout, key, batch);
        });
        batch.write();
    }

    /** Takes the pod out of every Service's endpoints now: it is about to be stopped, and takes no new connection. */
    synchronized void withdraw(String podId) {
        List<ServiceEndpoints> without = synced.stream().map(s -> new ServiceEndpoints(s.namespace(), s.name(),
                s.clusterIP(), s.ports().stream().map(p -> new ServiceEndpoints.Port(p.name(), p.protocol(), p.port(),
                        p.nodePort(), p.endpoints().stream().filter(e -> !e.podId().equals(podId)).toList())).toList()))
                .toList();
        if (!without.equals(synced)) {
            String failed = push(without);
            if (failed != null) {
                LOG.warn("pod {} is stopped while Services may still send it connections: {}", podId, failed);
            }
        }
    }

    /**
     * What each Service's name stands for, by {@code namespace/name}: its virtual IP, or a headless Service's ready
     * pods' IPs (none while it has none). For the pods' DNS.
     */
    synchronized Map<String, List<String>> names() {
        Map<String, List<String>> names = new TreeMap<>();
        for (ServiceEndpoints s : synced) {
            Set<String> ips = new LinkedHashSet<>();
            if (s.headless()) {
                s.ports().forEach(p -> p.endpoints().forEach(e -> ips.add(e.ip())));
            } else {
                ips.add(s.clusterIP());
            }
            names.put(s.namespacedName(), List.copyOf(ips));
        }
        return names;
    }

    /** As {@code kubectl get endpoints} shows them: {@code 10.88.0.5:8080, 10.88.0.6:8080 + 3 more}. */
    static String endpoints(ServiceEndpoints service) {
        List<String> all = service.ports().stream().flatMap(p -> p.endpoints().stream())
                .map(e -> e.ip() + ":" + e.port()).distinct().sorted().toList();
        String shown = String.join(", ", all.subList(0, Math.min(all.size(), SHOWN_ENDPOINTS)));
        return all.size() > SHOWN_ENDPOINTS ? shown + " + " + (all.size() - SHOWN_ENDPOINTS) + " more" : shown;
    }

    /** Gives the proxy the Services; returns why it failed, or null. */
    private String push(List<ServiceEndpoints> proxied) {
        try {
            proxy.sync(proxied);
            synced = List.copyOf(proxied);
            return null;
        } catch (RuntimeException e) {
            LOG.warn("Service rules: {}", e.getMessage());
            return e.getMessage();
        }
    }

    private List<ServiceBackends.Backend> backends(java.util.Collection<Service> services, List<PodSnapshot> pods) {
        Set<String> namespaces = new LinkedHashSet<>();
        services.forEach(s -> namespaces.add(s.getMetadata().getNamespace()));
        List<ServiceBackends.Backend> backends = new ArrayList<>();
        for (PodSnapshot pod : pods) {
            if (namespaces.contains(pod.record().namespace())) {
                backends.add(ServiceBackends.Backend.of(pod, pod.ready() ? ip(pod) : null));
            }
        }
        return backends;
    }

    /** A ready pod's IP: the host's for a hostNetwork pod, as the endpoints controller takes its status.podIP. */
    private String ip(PodSnapshot pod) {
        if (Boolean.TRUE.equals(pod.record().pod().getSpec().getHostNetwork())) {
            return hostIp.get().orElse(null);
        }
        return PodIps.read(podDirs.apply(pod.id())).flatMap(PodIps::primary).orElse(null);
    }

    private static ServiceIps.Request request(Manifest m, Service service) {
        String clusterIP = service.getSpec().getClusterIP();
        Map<String, Integer> nodePorts = new LinkedHashMap<>();
        Map<String, String> nodePortsAt = new LinkedHashMap<>();
        if (WITH_NODE_PORTS.contains(service.getSpec().getType())) {
            List<ServicePort> ports = orEmpty(service.getSpec().getPorts());
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String key = ServiceIps.Request.portKey(p.getPort(), p.getProtocol() == null ? "TCP" : p.getProtocol());
                nodePorts.put(key, p.getNodePort() == null ? 0 : p.getNodePort());
                nodePortsAt.put(key, m.locations().find("/spec/ports/" + i + "/nodePort").toString());
            }
        }
        return new ServiceIps.Request(m.key().namespace() + "/" + m.key().name(),
                clusterIP == null || clusterIP.isEmpty() ? null : clusterIP,
                m.locations().find("/spec/clusterIP").toString(), nodePorts, nodePortsAt);
    }

    private static WorkloadStatus status(Service service, ServiceBackends.Selected selected, Instant now) {
        if (orEmpty(service.getSpec().getSelector()).isEmpty()) {
            return new WorkloadStatus(Health.HEALTHY, "no selector: its endpoints are not berth's to manage", now,
                    Map.of(), 0, null);
        }
        if (selected.ready() > 0) {
            return new WorkloadStatus(Health.HEALTHY, selected.ready() + " ready endpoints: "
                    + endpoints(selected.service()), now, Map.of(), 0, null);
        }
        return new WorkloadStatus(Health.PROGRESSING, selected.matched() == 0 ? "selector matches no pod"
                : "no ready endpoints", now, Map.of(), 0, null);
    }
}
