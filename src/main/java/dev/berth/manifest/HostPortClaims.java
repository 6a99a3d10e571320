package dev.berth.manifest;

import dev.berth.core.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The host ports the pods of one commit ask for. One node has each port (protocol, host IP) once: two objects whose
 * pods ask for the same one cannot both run, an error naming both. One object whose pods run several at a time (a
 * Deployment's replicas, a Job's parallelism) runs one of them; kube-scheduler leaves the others Pending, and so does
 * berth's: a warning, as is a rolling update whose surge pod would wait for the old pod's port.
 */
final class HostPortClaims {

    /** A {@code ports[]} entry with a host port: a hostNetwork pod's container port is one. */
    private record Claim(Manifest owner, String pointer, long port, String protocol, String hostIp) {

        /** kube-scheduler's rule: the same port and protocol, and one of the addresses is the other or all. */
        boolean overlaps(Claim other) {
            return port == other.port && protocol.equals(other.protocol)
                    && (anyAddress(hostIp) || anyAddress(other.hostIp) || hostIp.equals(other.hostIp));
        }

        private static boolean anyAddress(String ip) {
            return ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::");
        }

        @Override
        public String toString() {
            return "hostPort " + port + "/" + protocol + (anyAddress(hostIp) ? "" : " on " + hostIp);
        }
    }

    private HostPortClaims() {}

    /** Adds a problem to {@code errors} for each conflict, and to {@code warnings} for pods that must wait. */
    static void check(Collection<Manifest> manifests, List<Problem> errors, List<Problem> warnings) {
        List<Claim> seen = new ArrayList<>();
        for (Manifest m : manifests.stream().sorted(Comparator.comparing((Manifest m) -> m.location().file())
                .thenComparingInt(m -> m.location().line())).toList()) {
            List<Claim> own = claims(m);
            for (int i = 0; i < own.size(); i++) {
                Claim claim = own.get(i);
                for (Claim earlier : own.subList(0, i)) {
                    if (claim.overlaps(earlier)) {
                        errors.add(new Problem(m.locations().find(claim.pointer()), m.key() + ": " + claim
                                + " is asked for twice in its pod (also at " + ModelBinder.dotted(earlier.pointer())
                                + ")"));
                    }
                }
                for (Claim other : seen) {
                    if (claim.overlaps(other)) {
                        errors.add(new Problem(m.locations().find(claim.pointer()), m.key() + ": " + claim
                                + " is also asked for by " + other.owner().key() + " at "
                                + other.owner().locations().find(other.pointer()) + "; one node can give it to only "
                                + "one pod"));
                    }
                }
            }
            seen.addAll(own);
            if (!own.isEmpty()) {
                concurrency(m, own.get(0), warnings);
            }
        }
    }

    /** Warnings for an object that would run more than one pod holding {@code claim} at a time. */
    private static void concurrency(Manifest m, Claim claim, List<Problem> warnings) {
        Map<String, Object> spec = map(m.object().get("spec"));
        String pending = " only one pod can hold it on a node: the others stay Pending (HostPortConflict)";
        if (m.key().kind().equals("Deployment")) {
            long replicas = number(spec.get("replicas"), 1);
            if (replicas > 1) {
                warnings.add(new Problem(m.locations().find("/spec/replicas"), m.key() + ": " + replicas
                        + " replicas ask for " + claim + ";" + pending));
            }
            Map<String, Object> strategy = map(spec.get("strategy"));
            Object surge = map(strategy.get("rollingUpdate")).get("maxSurge");
            if ("RollingUpdate".equals(strategy.get("type")) && surge != null && !List.of("0", "0%")
                    .contains(String.valueOf(surge))) {
                warnings.add(new Problem(m.locations().find("/spec/strategy"), m.key() + ": a rolling update's "
                        + "new pod waits for " + claim + " while an old pod holds it (maxSurge " + surge + "); use "
                        + "strategy Recreate, or maxSurge 0 with maxUnavailable 1"));
            }
        } else if (m.key().kind().equals("Job") || m.key().kind().equals("CronJob")) {
            String at = m.key().kind().equals("Job") ? "/spec" : "/spec/jobTemplate/spec";
            long parallelism = number(map(m.key().kind().equals("Job") ? spec
                    : map(map(spec.get("jobTemplate")).get("spec"))).get("parallelism"), 1);
            if (parallelism > 1) {
                warnings.add(new Problem(m.locations().find(at + "/parallelism"), m.key() + ": parallelism "
                        + parallelism + " with " + claim + ";" + pending));
            }
        }
    }

    /** The host ports of the object's pod spec, with their JSON pointers. */
    private static List<Claim> claims(Manifest m) {
        String pointer = switch (m.key().kind()) {
            case "Pod" -> "/spec";
            case "Deployment" -> "/spec/template/spec";
            case "Job" -> "/spec/template/spec";
            case "CronJob" -> "/spec/jobTemplate/spec/template/spec";
            default -> null;
        };
        if (pointer == null) {
            return List.of();
        }
        Map<String, Object> spec = m.object();
        for (String step : pointer.substring(1).split("/")) {
            spec = map(spec.get(step));
        }
        boolean hostNetwork = Boolean.TRUE.equals(spec.get("hostNetwork"));
        List<Claim> claims = new ArrayList<>();
        for (String kind : List.of("initContainers", "containers")) {
            List<?> containers = list(spec.get(kind));
            for (int i = 0; i < containers.size(); i++) {
                List<?> ports = list(map(containers.get(i)).get("ports"));
                for (int j = 0; j < ports.size(); j++) {
                    Map<String, Object> port = map(ports.get(j));
                    long hostPort = number(port.get("hostPort"), 0);
                    String at = pointer + "/" + kind + "/" + i + "/ports/" + j;
                    if (hostPort == 0 && hostNetwork) {
                        hostPort = number(port.get("containerPort"), 0);
                        at += "/containerPort";
                    } else {
                        at += "/hostPort";
                    }
                    if (hostPort > 0) {
                        claims.add(new Claim(m, at, hostPort, String.valueOf(port.getOrDefault("protocol", "TCP")),
                                String.valueOf(port.getOrDefault("hostIP", ""))));
                    }
                }
            }
        }
        return claims;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
