package dev.berth.inspect;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as kubectl shows them: ages like {@code 5m30s} or {@code 3d4h}, and describe's RFC 1123 dates. */
public final class Ages {

    private static final DateTimeFormatter RFC1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private Ages() {}

    /** How long ago {@code then} was, or {@code <unknown>} when it is not known. */
    public static String since(Instant then, Instant now) {
        return then == null ? "<unknown>" : human(Duration.between(then, now));
    }

    /** Kubernetes' duration.HumanDuration: precise when recent, coarser as it grows. */
    public static String human(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s"; // up to a second in the future: clocks a little apart
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        long years = hours / 24 / 365;
        long days = hours / 24 % 365;
        if (hours < 24 * 365 * 8) {
            return days == 0 ? years + "y" : years + "y" + days + "d";
        }
        return years + "y";
    }

    /** {@code Mon, 02 Mar 2026 10:00:00 +0000} in the node's time zone, as kubectl describe prints times. */
    public static String date(Instant at, ZoneId zone) {
        return at == null ? "<unknown>" : RFC1123.format(at.atZone(zone));
    }
}
