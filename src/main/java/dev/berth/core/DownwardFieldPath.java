package dev.berth.core;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A downward API {@code fieldPath} ({@code metadata.name}, {@code metadata.labels['app']}) and the paths and resources
 * the API server lets a pod select, in an env var or in a volume file.
 *
 * @param path      the field, without subscript
 * @param subscript the key of a {@code labels['k']} or {@code annotations['k']} path; null without one
 */
public record DownwardFieldPath(String path, String subscript) {

    public static final String LABELS = "metadata.labels";
    public static final String ANNOTATIONS = "metadata.annotations";

    /** What an env var may select without a subscript. */
    public static final Set<String> ENV_PATHS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
            "status.podIPs");
    /** What a volume file may select without a subscript: the pod's metadata only. */
    public static final Set<String> VOLUME_PATHS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
            LABELS, ANNOTATIONS);
    /** The container resources a resourceFieldRef may select, in env and in volumes. */
    public static final Set<String> RESOURCES = Set.of("limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage");

    private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
    private static final Set<String> BYTE_DIVISORS = Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi",
            "1Gi", "1Ti", "1Pi", "1Ei");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** {@code path['key']}; the key may hold anything but a quote. */
    private static final Pattern SUBSCRIPTED = Pattern.compile("([^\\[]+)\\['([^']*)'\\]");

    /** Splits {@code metadata.labels['k']} into path and subscript; a path without one is taken whole. */
    public static DownwardFieldPath parse(String fieldPath) {
        Matcher m = SUBSCRIPTED.matcher(fieldPath == null ? "" : fieldPath);
        return m.matches() ? new DownwardFieldPath(m.group(1), m.group(2)) : new DownwardFieldPath(fieldPath, null);
    }

    /**
     * Why the API server refuses this path where {@code allowed} are valid, or empty when it takes it: a subscript
     * only on labels and annotations, with a key that is a valid label key.
     */
    public Optional<String> problem(Set<String> allowed) {
        if (subscript != null) {
            if (!path.equals(LABELS) && !path.equals(ANNOTATIONS)) {
                return Optional.of("fieldPath \"" + path + "\" does not take a subscript");
            }
            String key = path.equals(ANNOTATIONS) ? subscript.toLowerCase(java.util.Locale.ROOT) : subscript;
            return qualifiedName(key) ? Optional.empty() : Optional.of("fieldPath key \"" + subscript
                    + "\" is not a valid label key (an optional DNS subdomain prefix and '/', then at most 63 "
                    + "alphanumerics, '-', '_' or '.', starting and ending alphanumeric)");
        }
        if (path == null || !allowed.contains(path)) {
            return Optional.of("fieldPath \"" + path + "\" is not supported here; supported: "
                    + new java.util.TreeSet<>(allowed) + (allowed.contains(LABELS) ? ""
                    : ", and metadata.labels['KEY'], metadata.annotations['KEY']"));
        }
        return Optional.empty();
    }

    /** A label key: {@code [prefix/]name}, as Kubernetes' IsQualifiedName. */
    private static boolean qualifiedName(String key) {
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = key.substring(slash + 1);
        return (prefix == null || prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches())
                && name.length() <= 63 && NAME.matcher(name).matches();
    }

    /** Whether {@code divisor} is one the API server takes for {@code resource}: 1m or 1 for CPU, a unit for bytes. */
    public static boolean validDivisor(String resource, Quantity divisor) {
        Set<String> allowed = resource.endsWith(".cpu") ? CPU_DIVISORS : BYTE_DIVISORS;
        BigDecimal value = divisor.value();
        return allowed.stream().anyMatch(d -> Quantity.parse(d).value().compareTo(value) == 0);
    }
}
