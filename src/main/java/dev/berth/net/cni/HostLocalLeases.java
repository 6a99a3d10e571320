package dev.berth.net.cni;

import dev.berth.core.BerthException;
import dev.berth.core.IpLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The addresses host-local IPAM has leased to berth's pods, read from its files: one per address in
 * {@code <dataDir>/<network name>/}, named by the address and holding the container id and the interface name. They
 * outlive a lost cache of CNI results, so they tell which pods' networks are still to be removed.
 */
final class HostLocalLeases {

    /** host-local's dataDir when an ipam block gives none. */
    static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/cni/networks");
    /**
     * berth's pod ids, {@code <namespace>.<name>.<6 hex digits>}: what a lease names becomes a CNI_CONTAINERID and a
     * file name, and other runtimes' containers sharing a data directory (64 hex digits) are not berth's to remove.
     */
    private static final Pattern POD_ID = Pattern.compile("[a-z0-9][-a-z0-9]*\\.[a-z0-9][-a-z0-9.]*\\.[0-9a-f]{6}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** A lease holds an id and an interface name; anything longer is not one. */
    private static final int MAX_BYTES = 512;

    /** @param address the leased address with its subnet's prefix, as an ADD result gives it: 10.88.0.5/16 */
    record Lease(String podId, String address) {}

    private HostLocalLeases() {}

    /**
     * The leases of berth's pods on interface {@code ifName} in the data directories of the network's host-local ipam
     * blocks. Lock files, {@code last_reserved_ip.*}, symlinks and files whose name or content is not a lease's are
     * passed over.
     */
    static List<Lease> of(NetworkConfigList network, String ifName) {
        if (!PLAIN_NAME.matcher(network.name()).matches()) {
            return List.of(); // the name is a directory under the data dir, nothing more
        }
        List<Lease> leases = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (ObjectNode plugin : network.plugins()) {
            JsonNode ipam = plugin.path("ipam");
            if (!ipam.path("type").asString("").equals("host-local")) {
                continue;
            }
            String dataDir = ipam.path("dataDir").asString("");
            Path dir = (dataDir.isEmpty() ? DEFAULT_DATA_DIR : Path.of(dataDir)).resolve(network.name());
            if (!seen.add(dir) || !Files.isDirectory(dir)) {
                continue;
            }
            for (Path file : list(dir)) {
                String address = file.getFileName().toString();
                String owner = IpLiteral.isValid(address) ? owner(file, ifName) : null;
                if (owner != null) {
                    leases.add(new Lease(owner, address + "/" + prefix(ipam, address)));
                }
            }
        }
        return leases;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new BerthException("cannot list host-local's leases in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The berth pod a lease file names for {@code ifName}, or null when it is no such lease. */
    private static String owner(Path file, String ifName) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null; // a symlink, to anywhere, is no lease of host-local's; a FIFO would block the read
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            content = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null; // released meanwhile
        } catch (IOException e) {
            return null; // made a symlink meanwhile (ELOOP), or unreadable: not a lease either way
        }
        String[] lines = new String(content, StandardCharsets.UTF_8).strip().split("\r?\n");
        boolean lease = content.length <= MAX_BYTES && lines.length == 2 && lines[1].equals(ifName)
                && POD_ID.matcher(lines[0]).matches();
        return lease ? lines[0] : null;
    }

    /**
     * The prefix of the ipam subnet (a range's, or the older form's on ipam itself) that holds {@code address}; a host
     * prefix when none does.
     */
    private static int prefix(JsonNode ipam, String address) {
        byte[] ip = bytes(address);
        List<JsonNode> ranges = new ArrayList<>(List.of(ipam));
        ipam.path("ranges").forEach(set -> set.forEach(ranges::add));
        for (JsonNode range : ranges) {
            String subnet = range.path("subnet").asString("");
            int slash = subnet.indexOf('/');
            boolean cidr = slash > 0 && subnet.substring(slash + 1).matches("\\d{1,3}");
            if (cidr && IpLiteral.isValid(subnet.substring(0, slash))) {
                byte[] network = bytes(subnet.substring(0, slash));
                int prefix = Integer.parseInt(subnet.substring(slash + 1));
                if (network.length == ip.length && prefix <= ip.length * 8 && samePrefix(ip, network, prefix)) {
                    return prefix;
                }
            }
        }
        return ip.length * 8;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int bit = 0; bit < bits; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** A literal's bytes; no DNS: callers checked it is one. */
    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IP literal: " + literal, e);
        }
    }
}
