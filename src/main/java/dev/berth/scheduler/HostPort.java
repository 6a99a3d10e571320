package dev.berth.scheduler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A port on the host's addresses: one a pod asks for ({@code ports[].hostPort}, protocol, hostIP), or one a host
 * process listens on.
 *
 * @param hostIp the address, in canonical form; "" for all of them (none written, 0.0.0.0 or ::)
 */
public record HostPort(String protocol, String hostIp, int port) {

    public HostPort {
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol.toUpperCase(Locale.ROOT);
        hostIp = canonical(hostIp);
    }

    /** kube-scheduler's NodePorts rule: the same port and protocol, and one address is the other or all of them. */
    public boolean overlaps(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    /** e.g. {@code 8080/TCP} or {@code 8080/TCP on 127.0.0.1}. */
    @Override
    public String toString() {
        return port + "/" + protocol + (hostIp.isEmpty() ? "" : " on " + hostIp);
    }

    /** One spelling per address, so that ::1 and 0:0:0:0:0:0:0:1 compare equal; validate refused non-addresses. */
    private static String canonical(String ip) {
        if (ip == null || ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::")) {
            return "";
        }
        if (!ip.contains(":")) {
            return ip;
        }
        try {
            InetAddress address = InetAddress.getByName(ip); // a literal: no lookup
            return address.isAnyLocalAddress() ? "" : address.getHostAddress();
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
