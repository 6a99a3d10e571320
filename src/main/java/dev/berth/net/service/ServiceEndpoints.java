package dev.berth.net.service;

import java.util.List;

/**
 * One Service as the proxy carries it out: its virtual IP and, for each of its ports, where connections go.
 *
 * @param clusterIP the Service's virtual IP; {@link ServiceIps#NONE} for a headless Service, which gets no rules
 */
public record ServiceEndpoints(String namespace, String name, String clusterIP, List<Port> ports) {

    public ServiceEndpoints {
        ports = List.copyOf(ports);
    }

    /** {@code namespace/name}, as the Service is named in messages and in DNS. */
    public String namespacedName() {
        return namespace + "/" + name;
    }

    public boolean headless() {
        return ServiceIps.NONE.equals(clusterIP);
    }

    /**
     * One port of the Service.
     *
     * @param name      the port's name; empty when the Service has a single unnamed port
     * @param protocol  TCP, UDP or SCTP
     * @param nodePort  the port opened on the host's addresses; 0 for none
     * @param endpoints the ready, not terminating pods serving it
     */
    public record Port(String name, String protocol, int port, int nodePort, List<Endpoint> endpoints) {

        public Port {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * A pod serving one port of a Service.
     *
     * @param podId the node's id of the pod, by which a pod that starts terminating is withdrawn at once
     * @param port  the pod's port: the Service's targetPort, resolved by name for this pod when it is named
     */
    public record Endpoint(String podId, String ip, int port) {}
}
