package dev.berth.runtime;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a pod's namespaces are made: which it shares with the host (the host's UTS namespace goes with its network,
 * as in Kubernetes), and the namespaced sysctls set in its own once they exist.
 */
public record NamespaceOptions(boolean hostNetwork, boolean hostIpc, boolean hostPid, Map<String, String> sysctls) {

    public static final NamespaceOptions DEFAULT = new NamespaceOptions(false, false, false, Map.of());

    /** Dotted names of plain parts: what becomes a path under /proc/sys must not lead anywhere else. */
    private static final Pattern SYSCTL = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_-]+)+");

    public NamespaceOptions {
        sysctls = Map.copyOf(sysctls);
        for (Map.Entry<String, String> s : sysctls.entrySet()) {
            if (!SYSCTL.matcher(s.getKey()).matches() || s.getValue().contains("\n")) {
                throw new IllegalArgumentException("not a sysctl berth can set: " + s.getKey() + "=" + s.getValue());
            }
        }
    }
}
