package dev.berth.core;

/**
 * Kubernetes' two spellings of a sysctl name: parts separated by {@code .} ({@code kernel.shm_rmid_forced}) or by
 * {@code /} ({@code kernel/shm_rmid_forced}, as under /proc/sys). The first separator tells which; in the slash
 * spelling a {@code .} belongs to a part ({@code net/ipv4/conf/eno2.100/rp_filter}), so the conversion swaps the two.
 */
public final class SysctlNames {

    private SysctlNames() {}

    /** {@code name} in the dotted spelling, as the kubelet converts it before it checks or sets it. */
    public static String dotted(String name) {
        int firstSeparator = indexOfSeparator(name);
        if (firstSeparator < 0 || name.charAt(firstSeparator) == '.') {
            return name;
        }
        StringBuilder swapped = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            swapped.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return swapped.toString();
    }

    private static int indexOfSeparator(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.' || name.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }
}
