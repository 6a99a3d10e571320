package dev.berth.net.service;

import dev.berth.store.JsonFiles;
import dev.berth.store.StateLayout;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hands out the Services' virtual IPs from {@code network.serviceCIDR} and their node ports from 30000-32767, as the
 * API server does, and keeps them in the state root ({@link StateLayout#serviceIps()}): a Service keeps its IP and
 * node ports across restarts and re-applies, and gives them back when it is no longer applied.
 */
public final class ServiceIps {

    public static final String DEFAULT_CIDR = "10.96.0.0/16";
    /** {@code spec.clusterIP} of a headless Service: no virtual IP, no rules; its name resolves to its pods. */
    public static final String NONE = "None";
    static final int FIRST_NODE_PORT = 30000;
    static final int LAST_NODE_PORT = 32767;

    /**
     * What one Service holds.
     *
     * @param clusterIP its virtual IP, or {@link #NONE}
     * @param nodePorts its node ports by the Service port they open ({@link Request#portKey})
     */
    public record Allocation(String clusterIP, Map<String, Integer> nodePorts) {

        public Allocation {
            nodePorts = Map.copyOf(nodePorts);
        }
    }

    /**
     * What one Service asks for.
     *
     * @param service     {@code namespace/name}
     * @param clusterIP   {@code spec.clusterIP}: null for any, {@link #NONE}, or the address wanted
     * @param clusterIPAt where {@code spec.clusterIP} was written, for the message when it cannot be had
     * @param nodePorts   the ports wanting a node port ({@link #portKey}), each with the one it asks for (0: any)
     * @param nodePortsAt where each of those was written
     */
    public record Request(String service, String clusterIP, String clusterIPAt, Map<String, Integer> nodePorts,
                          Map<String, String> nodePortsAt) {

        /** How a Service port is named in an allocation: {@code 80/TCP}. */
        public static String portKey(int port, String protocol) {
            return port + "/" + protocol;
        }
    }

    /** What {@link #assign} handed out; a Service that could not have what it asked for is in {@code errors}. */
    public record Assigned(Map<String, Allocation> allocations, Map<String, String> errors) {}

    /** The file's content: allocations by {@code namespace/name}. */
    record Kept(Map<String, Allocation> services) {}

    private final StateLayout layout;
    private final Ipv4Cidr range;

    /** @param cidr {@code network.serviceCIDR} */
    public ServiceIps(StateLayout layout, String cidr) {
        this.layout = layout;
        this.range = Ipv4Cidr.parse(cidr, "network.serviceCIDR");
    }

    /** The Services' virtual IPs by {@code namespace/name}, as last assigned; headless Services have none. */
    public static Map<String, String> read(StateLayout layout) {
        Map<String, String> ips = new TreeMap<>();
        kept(layout).forEach((service, a) -> {
            if (!NONE.equals(a.clusterIP())) {
                ips.put(service, a.clusterIP());
            }
        });
        return ips;
    }

    /** What each Service holds, by {@code namespace/name}, as last assigned: for the node's status. */
    public static Map<String, Allocation> allocations(StateLayout layout) {
        return new TreeMap<>(kept(layout));
    }

    /**
     * Gives each requested Service its IP and node ports: what it held before when that still fits its request, else
     * what it asks for, else the lowest free. Services not requested give theirs back. Written when it changed.
     */
    public Assigned assign(List<Request> requests) {
        Map<String, Allocation> before = kept(layout);
        Round round = new Round(before, requests);
        Map<String, Allocation> after = round.run();
        if (!after.equals(before)) {
            JsonFiles.write(layout.serviceIps(), new Kept(new TreeMap<>(after)));
        }
        return new Assigned(after, round.errors);
    }

    private static Map<String, Allocation> kept(StateLayout layout) {
        return JsonFiles.read(layout.serviceIps(), Kept.class).map(Kept::services).orElse(Map.of());
    }

    /** One assignment: IPs and ports held are kept first, then the ones asked for, then the rest from what is free. */
    private final class Round {

        private final Map<String, Allocation> before;
        private final List<Request> requests;
        private final Map<String, String> ips = new LinkedHashMap<>();
        private final Map<String, Map<String, Integer>> ports = new LinkedHashMap<>();
        private final Set<String> usedIps = new HashSet<>();
        private final Set<Integer> usedPorts = new HashSet<>();
        private final Map<String, String> errors = new LinkedHashMap<>();

        Round(Map<String, Allocation> before, List<Request> requests) {
            this.before = before;
            this.requests = requests;
            usedIps.add(range.address(0));
            usedIps.add(range.address(1)); // kept back, as the API server keeps .1 for the kubernetes Service
            usedIps.add(range.address(range.size() - 1));
        }

        Map<String, Allocation> run() {
            for (Request r : requests) {
                ports.put(r.service(), new TreeMap<>());
                Allocation held = before.get(r.service());
                String had = held == null ? null : held.clusterIP();
                boolean fits = (r.clusterIP() == null || r.clusterIP().equals(had))
                        && (range.indexOf(had) >= 0 || (NONE.equals(had) && NONE.equals(r.clusterIP())));
                if (fits) { // an IP out of a changed range, or asked to change, goes through what is asked below
                    take(r, held.clusterIP());
                }
                if (held != null) {
                    r.nodePorts().forEach((port, wanted) -> {
                        Integer heldPort = held.nodePorts().get(port);
                        if (heldPort != null && (wanted == 0 || wanted.equals(heldPort)) && usedPorts.add(heldPort)) {
                            ports.get(r.service()).put(port, heldPort);
                        }
                    });
                }
            }
            requests.stream().filter(r -> r.clusterIP() != null && !ips.containsKey(r.service())).forEach(this::asked);
            requests.stream().filter(r -> !ips.containsKey(r.service()) && !errors.containsKey(r.service()))
                    .forEach(this::free);
            for (boolean asked : new boolean[] {true, false}) { // ports asked for before any is handed out
                for (Request r : requests) {
                    r.nodePorts().forEach((port, wanted) -> {
                        if ((wanted != 0) == asked) {
                            nodePort(r, port, wanted);
                        }
                    });
                }
            }
            Map<String, Allocation> after = new LinkedHashMap<>();
            requests.stream().filter(r -> !errors.containsKey(r.service()))
                    .forEach(r -> after.put(r.service(), new Allocation(ips.get(r.service()), ports.get(r.service()))));
            return after;
        }

        private void asked(Request r) {
            String ip = r.clusterIP();
            if (NONE.equals(ip)) {
                take(r, ip);
            } else if (range.indexOf(ip) < 0) {
                errors.put(r.service(), r.clusterIPAt() + ": spec.clusterIP: " + ip + " is not in the Service range "
                        + range + " (network.serviceCIDR)");
            } else if (usedIps.contains(ip)) {
                errors.put(r.service(), r.clusterIPAt() + ": spec.clusterIP: " + ip + " is " + holder(ip));
            } else {
                take(r, ip);
            }
        }

        private String holder(String ip) {
            return ips.entrySet().stream().filter(e -> e.getValue().equals(ip)).map(e -> "held by Service " + e.getKey())
                    .findFirst().orElse("reserved (the range's network, broadcast or first address)");
        }

        private void take(Request r, String ip) {
            ips.put(r.service(), ip);
            if (!NONE.equals(ip)) {
                usedIps.add(ip);
            }
        }

        private void free(Request r) {
            for (long i = 2; i < range.size() - 1; i++) {
                if (!usedIps.contains(range.address(i))) {
                    take(r, range.address(i));
                    return;
                }
            }
            errors.put(r.service(), "no IP is free for Service " + r.service() + " in the Service range " + range
                    + " (network.serviceCIDR)");
        }

        private void nodePort(Request r, String port, int wanted) {
            Map<String, Integer> mine = ports.get(r.service());
            if (mine.containsKey(port) || errors.containsKey(r.service())) {
                return;
            }
            String at = r.nodePortsAt().getOrDefault(port, r.clusterIPAt());
            if (wanted != 0 && (wanted < FIRST_NODE_PORT || wanted > LAST_NODE_PORT)) {
                errors.put(r.service(), at + ": nodePort: " + wanted + " is not in the node port range "
                        + FIRST_NODE_PORT + "-" + LAST_NODE_PORT);
            } else if (wanted != 0 && !usedPorts.add(wanted)) {
                errors.put(r.service(), at + ": nodePort: " + wanted + " is held by another Service");
            } else if (wanted != 0) {
                mine.put(port, wanted);
            } else {
                for (int p = FIRST_NODE_PORT; p <= LAST_NODE_PORT; p++) {
                    if (usedPorts.add(p)) {
                        mine.put(port, p);
                        return;
                    }
                }
                errors.put(r.service(), "no node port is free in " + FIRST_NODE_PORT + "-" + LAST_NODE_PORT
                        + " for Service " + r.service());
            }
        }
    }
}
