package dev.berth.core;

import java.util.regex.Pattern;

/**
 * Whether a string is an IPv4 or IPv6 address as Go's {@code net.ParseIP} reads one, which is what the API server
 * checks nameservers and hostAliases with. Written out rather than {@link java.net.InetAddress#getByName}, which
 * looks a name up in DNS when it is not a literal.
 */
public final class IpLiteral {

    /** Dotted decimal, each part 0-255 without a leading zero (Go refuses those since 1.17). */
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

    private IpLiteral() {}

    public static boolean isValid(String s) {
        return s != null && (IPV4.matcher(s).matches() || isIpv6(s));
    }

    private static boolean isIpv6(String s) {
        int lastColon = s.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        String text = s;
        String tail = s.substring(lastColon + 1);
        if (tail.contains(".")) { // an embedded IPv4 address ends the text and stands for two groups
            if (!IPV4.matcher(tail).matches()) {
                return false;
            }
            text = s.substring(0, lastColon + 1) + "0:0";
        }
        int elision = text.indexOf("::");
        if (elision < 0) {
            return groups(text) == 8;
        }
        if (text.indexOf("::", elision + 1) >= 0) {
            return false;
        }
        int before = elision == 0 ? 0 : groups(text.substring(0, elision));
        int after = elision + 2 == text.length() ? 0 : groups(text.substring(elision + 2));
        return before >= 0 && after >= 0 && before + after <= 7; // "::" stands for at least one group
    }

    /** How many colon-separated hex groups, or -1 when a part is not one. */
    private static int groups(String text) {
        String[] parts = text.split(":", -1);
        for (String part : parts) {
            if (!HEX_GROUP.matcher(part).matches()) {
                return -1;
            }
        }
        return parts.length;
    }
}
