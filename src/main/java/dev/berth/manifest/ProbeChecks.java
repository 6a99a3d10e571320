package dev.berth.manifest;

import static dev.berth.core.Nulls.orEmpty;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The API server's checks of containers' probes, and what berth cannot run: one handler each, thresholds, an
 * httpGet's or tcpSocket's port (a number, or the name of one of the container's ports), scheme and headers. A gRPC
 * probe is refused until berth runs them; init containers have no probes.
 */
final class ProbeChecks {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final BiConsumer<String, String> error;

    /** @param error takes a JSON pointer and a message */
    ProbeChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    void podSpec(String at, PodSpec spec) {
        List<Container> inits = orEmpty(spec.getInitContainers());
        for (int i = 0; i < inits.size(); i++) {
            for (String kind : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                String here = at + "/initContainers/" + i + "/" + kind;
                if (probe(inits.get(i), kind) != null) {
                    error.accept(here, field(here) + "must not be set for init containers");
                }
            }
        }
        List<Container> containers = orEmpty(spec.getContainers());
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            for (String kind : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                Probe probe = probe(c, kind);
                if (probe != null) {
                    probe(at + "/containers/" + i + "/" + kind, probe, !kind.equals("readinessProbe"),
                            orEmpty(c.getPorts()));
                }
            }
        }
    }

    private static Probe probe(Container c, String kind) {
        return switch (kind) {
            case "livenessProbe" -> c.getLivenessProbe();
            case "readinessProbe" -> c.getReadinessProbe();
            default -> c.getStartupProbe();
        };
    }

    private void probe(String at, Probe probe, boolean oneSuccess, List<ContainerPort> ports) {
        List<String> handlers = new ArrayList<>();
        if (probe.getExec() != null) {
            handlers.add("exec");
            if (orEmpty(probe.getExec().getCommand()).isEmpty()) {
                error.accept(at + "/exec", field(at + "/exec/command") + "required");
            }
        }
        if (probe.getHttpGet() != null) {
            handlers.add("httpGet");
            httpGet(at + "/httpGet", probe, ports);
        }
        if (probe.getTcpSocket() != null) {
            handlers.add("tcpSocket");
            port(at + "/tcpSocket/port", probe.getTcpSocket().getPort(), ports);
        }
        if (probe.getGrpc() != null) {
            handlers.add("grpc");
            error.accept(at + "/grpc", field(at + "/grpc") + "berth does not run gRPC probes yet; use exec, httpGet or "
                    + "tcpSocket");
        }
        if (handlers.size() != 1) {
            error.accept(at, field(at) + "must have exactly one of exec, httpGet, tcpSocket and grpc"
                    + (handlers.isEmpty() ? "" : ", not " + String.join(" and ", handlers)));
        }
        notNegative(at + "/initialDelaySeconds", probe.getInitialDelaySeconds());
        notNegative(at + "/periodSeconds", probe.getPeriodSeconds());
        notNegative(at + "/timeoutSeconds", probe.getTimeoutSeconds());
        notNegative(at + "/successThreshold", probe.getSuccessThreshold());
        notNegative(at + "/failureThreshold", probe.getFailureThreshold());
        notNegative(at + "/terminationGracePeriodSeconds", probe.getTerminationGracePeriodSeconds());
        Integer success = probe.getSuccessThreshold();
        if (oneSuccess && success != null && success != 1 && success > 0) {
            error.accept(at + "/successThreshold", field(at + "/successThreshold") + "must be 1, got " + success);
        }
    }

    private void httpGet(String at, Probe probe, List<ContainerPort> ports) {
        var get = probe.getHttpGet();
        port(at + "/port", get.getPort(), ports);
        String scheme = get.getScheme();
        if (scheme != null && !scheme.isEmpty() && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            error.accept(at + "/scheme", field(at + "/scheme") + "must be HTTP or HTTPS, got \"" + scheme + "\"");
        }
        String path = get.getPath();
        if (path != null && path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            error.accept(at + "/path", field(at + "/path") + "must not contain spaces or control characters");
        }
        List<HTTPHeader> headers = orEmpty(get.getHttpHeaders());
        for (int i = 0; i < headers.size(); i++) {
            String here = at + "/httpHeaders/" + i;
            String name = headers.get(i).getName();
            String value = headers.get(i).getValue();
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                error.accept(here + "/name", field(here + "/name") + "\"" + name + "\" is not a valid HTTP header name");
            }
            if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
                error.accept(here + "/value", field(here + "/value") + "must not contain a line break");
            }
        }
    }

    private void notNegative(String at, Number value) {
        if (value != null && value.longValue() < 0) {
            error.accept(at, field(at) + "must not be negative, got " + value);
        }
    }

    /** A number in range, or the IANA_SVC_NAME of one of the container's ports. */
    private void port(String at, IntOrString port, List<ContainerPort> ports) {
        if (port == null || port.getIntVal() == null && port.getStrVal() == null) {
            error.accept(at, field(at) + "required");
        } else if (port.getIntVal() != null) {
            if (port.getIntVal() < 1 || port.getIntVal() > 65535) {
                error.accept(at, field(at) + "must be between 1 and 65535, inclusive, got " + port.getIntVal());
            }
        } else {
            String name = port.getStrVal();
            String problem = PortChecks.ianaServiceNameProblem(name);
            if (problem != null) {
                error.accept(at, field(at) + "\"" + name + "\" is neither a port number nor a port name: a name "
                        + problem);
            } else if (ports.stream().noneMatch(p -> name.equals(p.getName()))) {
                error.accept(at, field(at) + "the container has no port named \"" + name + "\"");
            }
        }
    }

    private static String field(String pointer) {
        return ModelBinder.dotted(pointer) + ": ";
    }
}
