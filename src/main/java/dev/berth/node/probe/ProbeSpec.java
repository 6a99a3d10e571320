package dev.berth.node.probe;

import static dev.berth.core.Nulls.orEmpty;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** One probe with the API server's defaults filled in, its checks applied and a named port resolved. */
public record ProbeSpec(ProbeKind kind, ProbeAction action, int initialDelaySeconds, int periodSeconds,
                        int timeoutSeconds, int successThreshold, int failureThreshold) {

    /** RFC 7230's token: what a header name may be; a CR or LF in a value could smuggle a second request. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * @param ports the container's ports, where an httpGet or tcpSocket probe's named port is looked up
     * @throws BerthException where the API server would reject the probe, or for a gRPC probe, which berth cannot run
     */
    public static ProbeSpec of(ProbeKind kind, Probe probe, List<ContainerPort> ports) {
        String field = kind.field();
        List<String> actions = new ArrayList<>();
        if (probe.getExec() != null) {
            actions.add("exec");
        }
        if (probe.getHttpGet() != null) {
            actions.add("httpGet");
        }
        if (probe.getTcpSocket() != null) {
            actions.add("tcpSocket");
        }
        if (probe.getGrpc() != null) {
            actions.add("grpc");
        }
        if (actions.size() != 1) {
            throw new BerthException(field + ": must have exactly one of exec, httpGet, tcpSocket and grpc"
                    + (actions.isEmpty() ? "" : ", not " + String.join(" and ", actions)));
        }
        int initialDelay = orDefault(probe.getInitialDelaySeconds(), 0, field + ".initialDelaySeconds");
        int period = orDefault(probe.getPeriodSeconds(), 10, field + ".periodSeconds");
        int timeout = orDefault(probe.getTimeoutSeconds(), 1, field + ".timeoutSeconds");
        int success = orDefault(probe.getSuccessThreshold(), 1, field + ".successThreshold");
        int failure = orDefault(probe.getFailureThreshold(), 3, field + ".failureThreshold");
        if (kind != ProbeKind.READINESS && success != 1) {
            throw new BerthException(field + ".successThreshold: must be 1, not " + success);
        }
        ProbeAction action = switch (actions.get(0)) {
            case "exec" -> exec(field, orEmpty(probe.getExec().getCommand()));
            case "httpGet" -> httpGet(field + ".httpGet", probe.getHttpGet(), ports);
            case "tcpSocket" -> new ProbeAction.TcpSocket(host(probe.getTcpSocket().getHost()),
                    port(field + ".tcpSocket.port", probe.getTcpSocket().getPort(), ports));
            default -> throw new BerthException(field + ".grpc: berth does not run gRPC probes yet; use exec, httpGet "
                    + "or tcpSocket");
        };
        return new ProbeSpec(kind, action, initialDelay, period, timeout, success, failure);
    }

    private static ProbeAction.Exec exec(String field, List<String> command) {
        if (command.isEmpty()) {
            throw new BerthException(field + ".exec.command: required");
        }
        return new ProbeAction.Exec(command);
    }

    private static ProbeAction.HttpGet httpGet(String field, HTTPGetAction get, List<ContainerPort> ports) {
        String scheme = get.getScheme() == null || get.getScheme().isEmpty() ? "HTTP" : get.getScheme();
        if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            throw new BerthException(field + ".scheme: must be HTTP or HTTPS, not \"" + scheme + "\"");
        }
        String path = get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath();
        if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new BerthException(field + ".path: must not contain spaces or control characters");
        }
        List<ProbeAction.Header> headers = new ArrayList<>();
        List<HTTPHeader> written = orEmpty(get.getHttpHeaders());
        for (int i = 0; i < written.size(); i++) {
            String name = written.get(i).getName();
            String value = written.get(i).getValue() == null ? "" : written.get(i).getValue();
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw new BerthException(field + ".httpHeaders[" + i + "].name: \"" + name
                        + "\" is not a valid HTTP header name");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new BerthException(field + ".httpHeaders[" + i + "].value: must not contain a line break");
            }
            headers.add(new ProbeAction.Header(name, value));
        }
        return new ProbeAction.HttpGet(scheme.toLowerCase(Locale.ROOT), host(get.getHost()),
                port(field + ".port", get.getPort(), ports), path.startsWith("/") ? path : "/" + path, headers);
    }

    private static String host(String host) {
        return host == null || host.isEmpty() ? null : host;
    }

    /** A number, or the name of one of the container's ports, as the kubelet resolves it. */
    private static int port(String field, IntOrString port, List<ContainerPort> ports) {
        if (port == null || port.getIntVal() == null && port.getStrVal() == null) {
            throw new BerthException(field + ": required");
        }
        if (port.getIntVal() != null) {
            if (port.getIntVal() < 1 || port.getIntVal() > 65535) {
                throw new BerthException(field + ": must be between 1 and 65535, not " + port.getIntVal());
            }
            return port.getIntVal();
        }
        String name = port.getStrVal();
        return ports.stream().filter(p -> name.equals(p.getName()) && p.getContainerPort() != null)
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new BerthException(field + ": the container has no port named \"" + name + "\""));
    }

    /** Like the API server's defaulting, 0 means the default, as an absent value does. */
    private static int orDefault(Integer value, int fallback, String field) {
        if (value == null || value == 0) {
            return fallback;
        }
        if (value < 0) {
            throw new BerthException(field + ": must not be negative, not " + value);
        }
        return value;
    }
}
