package dev.berth.node;

import dev.berth.core.BerthException;
import dev.berth.scheduler.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports host processes listen on, from the kernel's socket tables of berth's own (the host's) network namespace:
 * TCP sockets in LISTEN, and bound UDP sockets with no peer.
 */
final class ListeningSockets {

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";

    private ListeningSockets() {}

    static List<HostPort> read() {
        List<HostPort> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = Path.of("/proc/net", table);
            try {
                ports.addAll(parse(table.startsWith("tcp") ? "TCP" : "UDP", Files.readAllLines(file)));
            } catch (NoSuchFileException e) {
                // a kernel without IPv6 has no tcp6 and udp6
            } catch (IOException e) {
                throw new BerthException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return ports;
    }

    /** The listening sockets of one table ({@code /proc/net/tcp} and alike), its header line first. */
    static List<HostPort> parse(String protocol, List<String> lines) {
        List<HostPort> ports = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 4) {
                continue;
            }
            boolean listening = protocol.equals("TCP") ? fields[3].equals(TCP_LISTEN)
                    : fields[3].equals(UDP_UNCONNECTED) && fields[2].matches("0+:0000");
            if (listening) {
                String[] local = fields[1].split(":");
                ports.add(new HostPort(protocol, address(local[0]), Integer.parseInt(local[1], 16)));
            }
        }
        return ports;
    }

    /** The kernel writes an address as 32-bit words in the machine's byte order, in hex. */
    private static String address(String hex) {
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (littleEndian ? 3 - i : i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new BerthException("not an address in a socket table: " + hex, e);
        }
    }
}
