package dev.berth.manifest;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.IpLiteral;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** The API server's checks of containers' ports and of a Service's ports. */
final class PortChecks {

    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** The default service-node-port-range of kube-apiserver. */
    private static final int NODE_PORT_MIN = 30000;
    private static final int NODE_PORT_MAX = 32767;

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    PortChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    /**
     * IANA_SVC_NAME, what a port's name (and a named targetPort) must be: at most 15 lowercase letters, digits and
     * '-', at least one letter, no '-' at either end nor two in a row. Null when {@code name} is one, else why not.
     */
    static String ianaServiceNameProblem(String name) {
        if (name.length() > 15) {
            return "must be no more than 15 characters";
        }
        if (!name.matches("[-a-z0-9]+")) {
            return "must contain only lowercase letters, digits and '-'";
        }
        if (!name.matches(".*[a-z].*")) {
            return "must contain at least one letter";
        }
        if (name.startsWith("-") || name.endsWith("-") || name.contains("--")) {
            return "must not begin or end with '-' nor contain '--'";
        }
        return null;
    }

    void podSpec(String at, PodSpec spec) {
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        containers(at + "/initContainers", spec.getInitContainers(), hostNetwork);
        containers(at + "/containers", spec.getContainers(), hostNetwork);
    }

    private void containers(String at, List<Container> containers, boolean hostNetwork) {
        for (int i = 0; containers != null && i < containers.size(); i++) {
            List<ContainerPort> ports = orEmpty(containers.get(i).getPorts());
            Set<String> names = new HashSet<>();
            for (int j = 0; j < ports.size(); j++) {
                ContainerPort port = ports.get(j);
                String here = at + "/" + i + "/ports/" + j;
                Integer number = port.getContainerPort();
                if (number == null || number < 1 || number > 65535) {
                    error.accept(here + "/containerPort", field(here + "/containerPort") + "must be between 1 and "
                            + "65535, inclusive, got " + number);
                }
                Integer hostPort = port.getHostPort();
                if (hostPort != null && (hostPort < 0 || hostPort > 65535)) {
                    error.accept(here + "/hostPort", field(here + "/hostPort") + "must be between 1 and 65535, "
                            + "inclusive (or 0 for none), got " + hostPort);
                } else if (hostNetwork && hostPort != null && hostPort != 0 && !hostPort.equals(number)) {
                    error.accept(here + "/hostPort", field(here + "/hostPort") + "must match containerPort when "
                            + "hostNetwork is true, got " + hostPort + " for " + number);
                }
                protocol(here + "/protocol", port.getProtocol());
                if (port.getHostIP() != null && !port.getHostIP().isEmpty() && !IpLiteral.isValid(port.getHostIP())) {
                    error.accept(here + "/hostIP", field(here + "/hostIP") + "\"" + port.getHostIP()
                            + "\" is not an IP address");
                }
                String name = port.getName();
                if (name != null && !name.isEmpty()) {
                    String problem = ianaServiceNameProblem(name);
                    if (problem != null) {
                        error.accept(here + "/name", field(here + "/name") + "\"" + name + "\" " + problem);
                    } else if (!names.add(name)) {
                        error.accept(here + "/name", field(here + "/name") + "duplicate port name \"" + name + "\"");
                    }
                }
            }
        }
    }

    /** As the API server's ValidateService checks spec.ports (type, selector and IPs are not checked here). */
    void service(String at, ServiceSpec spec) {
        List<ServicePort> ports = orEmpty(spec.getPorts());
        boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
        Map<String, Integer> names = new HashMap<>();
        Set<String> portsAndProtocols = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String here = at + "/ports/" + i;
            String name = port.getName();
            if (name == null || name.isEmpty()) {
                if (ports.size() > 1) {
                    error.accept(here, field(here + "/name") + "required when a Service has more than one port");
                }
            } else if (!DNS_LABEL.matcher(name).matches()) {
                error.accept(here + "/name", field(here + "/name") + "\"" + name + "\" must be a DNS label: lowercase "
                        + "letters, digits and '-', at most 63 characters, starting and ending with a letter or digit");
            } else if (names.putIfAbsent(name, i) != null) {
                error.accept(here + "/name", field(here + "/name") + "duplicate port name \"" + name + "\", first used "
                        + "by spec.ports." + names.get(name));
            }
            Integer number = port.getPort();
            if (number == null || number < 1 || number > 65535) {
                error.accept(here + "/port", field(here + "/port") + "must be between 1 and 65535, inclusive, got "
                        + number);
            } else if (!portsAndProtocols.add(number + "/" + port.getProtocol())) {
                error.accept(here + "/port", field(here + "/port") + "duplicate port " + number + "/"
                        + port.getProtocol());
            }
            protocol(here + "/protocol", port.getProtocol());
            targetPort(here + "/targetPort", port.getTargetPort());
            Integer nodePort = port.getNodePort();
            if (nodePort != null && nodePort != 0) {
                if (!nodePorts) {
                    error.accept(here + "/nodePort", field(here + "/nodePort") + "may not be used when type is \""
                            + spec.getType() + "\"");
                } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                    error.accept(here + "/nodePort", field(here + "/nodePort") + "must be between " + NODE_PORT_MIN
                            + " and " + NODE_PORT_MAX + ", inclusive (the node port range), got " + nodePort);
                }
            }
        }
    }

    private void targetPort(String at, IntOrString target) {
        if (target == null) {
            return; // defaulted to the port
        }
        if (target.getStrVal() != null) {
            String problem = ianaServiceNameProblem(target.getStrVal());
            if (problem != null) {
                error.accept(at, field(at) + "\"" + target.getStrVal() + "\" is neither a port number nor a port name: "
                        + "a name " + problem);
            }
        } else if (target.getIntVal() == null || target.getIntVal() < 1 || target.getIntVal() > 65535) {
            error.accept(at, field(at) + "must be between 1 and 65535, inclusive, got " + target.getIntVal());
        }
    }

    private void protocol(String at, String protocol) {
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            error.accept(at, field(at) + "must be TCP, UDP or SCTP, got \"" + protocol + "\"");
        }
    }

    private static String field(String pointer) {
        return ModelBinder.dotted(pointer) + ": ";
    }
}
