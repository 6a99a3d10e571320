package dev.berth.net.service;

import dev.berth.core.BerthException;
import java.util.regex.Pattern;

/** An IPv4 network such as {@code 10.96.0.0/16}: its addresses numbered from 0 (the network's own) to size - 1. */
record Ipv4Cidr(long base, int prefix) {

    private static final Pattern QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    static Ipv4Cidr parse(String text, String what) {
        int slash = text == null ? -1 : text.indexOf('/');
        Long address = slash < 0 ? null : toNumber(text.substring(0, slash));
        Integer prefix = slash < 0 ? null : parsePrefix(text.substring(slash + 1));
        if (address == null || prefix == null || prefix < 8 || prefix > 30) {
            throw new BerthException(what + ": expected an IPv4 network with a prefix of 8 to 30 bits, e.g. 10.96.0.0/16,"
                    + " got \"" + text + "\"");
        }
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((address & ~mask & 0xFFFFFFFFL) != 0) {
            throw new BerthException(what + ": " + text + " has host bits set; the network is "
                    + toText(address & mask) + "/" + prefix);
        }
        return new Ipv4Cidr(address, prefix);
    }

    long size() {
        return 1L << (32 - prefix);
    }

    /** The address's number in this network, or -1 when it is not in it (or no IPv4 address). */
    long indexOf(String address) {
        Long n = toNumber(address);
        return n == null || n < base || n >= base + size() ? -1 : n - base;
    }

    String address(long index) {
        return toText(base + index);
    }

    @Override
    public String toString() {
        return toText(base) + "/" + prefix;
    }

    /** The address as a number, or null when it is no dotted quad. */
    static Long toNumber(String address) {
        var m = address == null ? null : QUAD.matcher(address);
        if (m == null || !m.matches()) {
            return null;
        }
        long n = 0;
        for (int i = 1; i <= 4; i++) {
            int part = Integer.parseInt(m.group(i));
            if (part > 255 || (m.group(i).length() > 1 && m.group(i).startsWith("0"))) {
                return null;
            }
            n = n << 8 | part;
        }
        return n;
    }

    static String toText(long n) {
        return (n >> 24 & 255) + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static Integer parsePrefix(String text) {
        return text.matches("\\d{1,2}") ? Integer.parseInt(text) : null;
    }
}
