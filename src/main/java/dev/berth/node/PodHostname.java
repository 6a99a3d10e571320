package dev.berth.node;

import dev.berth.core.BerthException;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod's hostname and domain as the kubelet derives them: {@code spec.hostname}, else the pod's name cut to the 63
 * characters a hostname may have; with {@code spec.subdomain}, the domain
 * {@code <subdomain>.<namespace>.svc.<cluster domain>}.
 *
 * @param domain null without a subdomain
 */
record PodHostname(String hostname, String domain, boolean hostnameIsFqdn) {

    private static final int MAX_HOSTNAME = 63;
    private static final int MAX_UTS_NAME = 64;

    static PodHostname of(Pod pod, String clusterDomain) {
        var spec = pod.getSpec();
        String hostname = blank(spec.getHostname()) ? truncated(pod.getMetadata().getName()) : spec.getHostname();
        String domain = blank(spec.getSubdomain()) ? null
                : spec.getSubdomain() + "." + pod.getMetadata().getNamespace() + ".svc." + clusterDomain;
        return new PodHostname(hostname, domain, Boolean.TRUE.equals(spec.getSetHostnameAsFQDN()));
    }

    /** The hostname and domain joined, or the hostname alone without a domain. */
    String fqdn() {
        return domain == null ? hostname : hostname + "." + domain;
    }

    /** What {@code hostname} prints in the pod: the FQDN only with {@code setHostnameAsFQDN}. */
    String utsName() {
        if (hostnameIsFqdn && fqdn().length() > MAX_UTS_NAME) { // the kernel's limit; the kubelet refuses it too
            throw new BerthException("setHostnameAsFQDN: the FQDN " + fqdn() + " is too long (" + MAX_UTS_NAME
                    + " characters is the max, " + fqdn().length() + " requested)");
        }
        return hostnameIsFqdn ? fqdn() : hostname;
    }

    /** As the kubelet cuts a long pod name: to 63 characters, then without a trailing '-' or '.'. */
    private static String truncated(String name) {
        if (name.length() <= MAX_HOSTNAME) {
            return name;
        }
        String cut = name.substring(0, MAX_HOSTNAME);
        int end = cut.length();
        while (end > 0 && (cut.charAt(end - 1) == '-' || cut.charAt(end - 1) == '.')) {
            end--;
        }
        return cut.substring(0, end);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
