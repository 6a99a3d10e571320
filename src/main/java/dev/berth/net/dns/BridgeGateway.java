package dev.berth.net.dns;

import dev.berth.core.BerthException;
import dev.berth.net.cni.NetworkConfigList;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pods' gateway on the host, where the pods' DNS server listens: the bridge's address that the CNI {@code bridge}
 * plugin gives it, as host-local IPAM reads it from the network config: a range's {@code gateway}, else the first
 * address of its {@code subnet} (10.88.0.1 for berth's default network).
 */
public final class BridgeGateway {

    private static final Pattern IPV4_CIDR = Pattern.compile(
            "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private BridgeGateway() {}

    /** The first IPv4 gateway of the network's IPAM; none when no plugin assigns addresses from a subnet. */
    public static Optional<String> of(NetworkConfigList network) {
        for (ObjectNode plugin : network.plugins()) {
            JsonNode ipam = plugin.path("ipam");
            for (JsonNode set : ipam.path("ranges")) { // none when missing
                for (JsonNode range : set) {
                    Optional<String> gateway = gateway(range);
                    if (gateway.isPresent()) {
                        return gateway;
                    }
                }
            }
            Optional<String> legacy = gateway(ipam); // the older form: subnet and gateway on ipam itself
            if (legacy.isPresent()) {
                return legacy;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> gateway(JsonNode range) {
        String subnet = range.path("subnet").asString("");
        if (!IPV4_CIDR.matcher(subnet).matches()) {
            return Optional.empty();
        }
        String gateway = range.path("gateway").asString("");
        return Optional.of(gateway.isEmpty() ? firstAddress(subnet) : gateway);
    }

    /** The subnet's first host address: its network address plus one. */
    static String firstAddress(String cidr) {
        Matcher m = IPV4_CIDR.matcher(cidr);
        if (!m.matches() || Integer.parseInt(m.group(5)) > 30) {
            throw new BerthException("\"" + cidr + "\" is not an IPv4 subnet with room for a gateway");
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int part = Integer.parseInt(m.group(i));
            if (part > 255) {
                throw new BerthException("\"" + cidr + "\" is not an IPv4 subnet");
            }
            address = address << 8 | part;
        }
        int prefix = Integer.parseInt(m.group(5));
        long network = address & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        long first = network + 1;
        return (first >> 24 & 255) + "." + (first >> 16 & 255) + "." + (first >> 8 & 255) + "." + (first & 255);
    }
}
