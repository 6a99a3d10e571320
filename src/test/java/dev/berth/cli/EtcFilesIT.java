package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.config.BerthConfig;
import dev.berth.net.cni.NetworkConfigList;
import dev.berth.net.dns.BridgeGateway;
import dev.berth.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pod's /etc/hosts, /etc/resolv.conf and hostname on real runc, as the kubelet makes them. */
class EtcFilesIT {

    @RegisterExtension
    static final PodRunner runner = PodRunner.withBusybox();

    @AfterEach
    void theFilesGoWithThePod() throws IOException {
        try (Stream<Path> files = Files.walk(runner.dir().resolve("state"))) {
            assertEquals(List.of(), files.filter(f -> List.of("etc-hosts", "resolv.conf")
                    .contains(f.getFileName().toString())).toList(), "the pod's files go with the pod");
        }
    }

    /**
     * localhost and the pod's own FQDN (at its pod network address) resolve, and a server in the pod answers at both;
     * aliases are listed.
     */
    @Test
    void hostnameSubdomainAndAliasesResolveInThePod() throws IOException {
        CliRun run = runner.run("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  restartPolicy: Never
                  hostname: db-0
                  subdomain: backend
                  hostAliases: [{ip: 10.1.2.3, hostnames: [foo.local, bar.local]}]
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "cat /etc/hosts; echo ---; hostname; mkdir -p /tmp/www; echo hi > /tmp/www/x;
                        httpd -p 8080 -h /tmp/www; wget -qO- http://localhost:8080/x;
                        wget -qO- http://db-0.backend.default.svc.cluster.local:8080/x"]
                """);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                POD_IP\tdb-0.backend.default.svc.cluster.local\tdb-0

                # Entries added by HostAliases.
                10.1.2.3\tfoo.local
                10.1.2.3\tbar.local
                ---
                db-0
                hi
                hi
                """, run.out().replaceFirst("\n10\\.88\\.\\d+\\.\\d+\t", "\nPOD_IP\t"),
                "the pod named by its address on the pod network");
    }

    @Test
    void resolvConfFollowsDnsPolicyAndDnsConfig() throws IOException {
        CliRun none = runner.run(catResolvConf("none", """
                dnsPolicy: None
                  dnsConfig:
                    nameservers: [1.1.1.1]
                    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix]
                    options: [{name: ndots, value: "2"}, {name: edns0}]""", ""));
        assertEquals(0, none.exitCode(), none::toString);
        assertEquals("""
                search ns1.svc.cluster-domain.example my.dns.search.suffix
                nameserver 1.1.1.1
                options ndots:2 edns0
                """, none.out());

        CliRun clusterFirst = runner.run(catResolvConf("cluster-first", "", ""));
        assertEquals(0, clusterFirst.exitCode(), clusterFirst::toString);
        List<String> lines = clusterFirst.out().lines().toList();
        assertTrue(lines.get(0).startsWith("search default.svc.cluster.local svc.cluster.local cluster.local"),
                clusterFirst::toString);
        assertEquals("options ndots:5", lines.get(lines.size() - 1));
        String gateway = BridgeGateway.of(NetworkConfigList.load(BerthConfig.Network.DEFAULTS.cniConfDir(),
                NetworkConfigList.DEFAULT_NAME)).orElseThrow();
        assertEquals(List.of("nameserver " + gateway), lines.stream().filter(l -> l.startsWith("nameserver ")).toList(),
                "the pods' DNS server on the bridge's gateway");
    }

    /** As containerd binds it: /etc/resolv.conf read-only with the root filesystem; the kubelet's /etc/hosts not. */
    @Test
    void aReadOnlyRootFilesystemMakesResolvConfReadOnlyButNotHosts() throws IOException {
        CliRun run = runner.run(catResolvConf("read-only", "", "securityContext: {readOnlyRootFilesystem: true}")
                .replace("cat /etc/resolv.conf", "echo 10.9.9.9 extra >> /etc/hosts && echo hosts writable;"
                        + " echo nameserver 9.9.9.9 >> /etc/resolv.conf || echo resolv.conf read-only"));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("hosts writable", "resolv.conf read-only"), run.out().lines().toList(), run::toString);
    }

    /**
     * Conformance: "KubeletManagedEtcHosts should test kubelet managed /etc/hosts file" (kubelet_etc_hosts.go).
     * The host's /etc/hosts is mounted at /etc/hosts-original to compare; busybox-3 mounts it at /etc/hosts too.
     */
    @Test
    void kubeletManagedEtcHostsConformance() throws IOException {
        String verdict = "if head -1 /etc/hosts | grep -qx '# Kubernetes-managed hosts file.'"
                + " && ! cmp -s /etc/hosts /etc/hosts-original; then echo managed; else echo not managed; fi";
        CliRun pod = runner.run(etcHostsPod("test-pod", "", verdict, List.of("busybox-1", "busybox-2"), "busybox-3"));
        assertEquals(0, pod.exitCode(), pod::toString);
        assertEquals(List.of("busybox-1 | managed", "busybox-2 | managed", "busybox-3 | not managed"),
                pod.out().lines().sorted().toList());

        CliRun hostNetwork = runner.run(etcHostsPod("test-host-network-pod", "hostNetwork: true", verdict
                + "; tail -n +2 /etc/hosts | cmp - /etc/hosts-original && echo same as the host", List.of("busybox-1",
                "busybox-2"), null));
        assertEquals(0, hostNetwork.exitCode(), hostNetwork::toString);
        assertEquals(List.of("busybox-1 | not managed", "busybox-1 | same as the host",
                "busybox-2 | not managed", "busybox-2 | same as the host"), hostNetwork.out().lines().sorted().toList());
    }

    /** A hostNetwork pod keeps the host's resolvers, search and options (ClusterFirst falls back to Default). */
    @Test
    void aHostNetworkPodGetsTheHostsResolvers() throws IOException {
        CliRun run = runner.run(catResolvConf("host-network", "hostNetwork: true", ""));
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals(hostNameservers(), lines.stream().filter(l -> l.startsWith("nameserver ")).toList());
        assertTrue(lines.stream().noneMatch(l -> l.contains("cluster.local")), run::toString);
    }

    private static String catResolvConf(String name, String specLines, String containerLines) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  %s
                  containers:
                    - name: main
                      image: busybox:1.35
                      command: [sh, -c, "cat /etc/resolv.conf"]
                      %s
                """.formatted(name, specLines, containerLines);
    }

    private static String etcHostsPod(String name, String specLine, String script, List<String> plain,
                                      String ownHosts) {
        StringBuilder containers = new StringBuilder();
        for (String c : plain) {
            containers.append(container(c, script, "[{name: host-etc-hosts, mountPath: /etc/hosts-original,"
                    + " readOnly: true}]"));
        }
        if (ownHosts != null) {
            containers.append(container(ownHosts, script, "[{name: host-etc-hosts, mountPath: /etc/hosts-original,"
                    + " readOnly: true}, {name: host-etc-hosts, mountPath: /etc/hosts, readOnly: true}]"));
        }
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  %s
                  volumes: [{name: host-etc-hosts, hostPath: {path: /etc/hosts, type: FileOrCreate}}]
                  containers:
                %s""".formatted(name, specLine, containers);
    }

    private static String container(String name, String script, String mounts) {
        return "    - {name: %s, image: busybox:1.35, command: [sh, -c, \"%s\"], volumeMounts: %s}\n"
                .formatted(name, script, mounts);
    }

    /** The host's nameservers, at most three, as a pod reads them outside systemd-resolved's stub. */
    private static List<String> hostNameservers() throws IOException {
        List<String> servers = Files.readAllLines(Path.of("/etc/resolv.conf")).stream()
                .map(String::strip).filter(l -> l.startsWith("nameserver ")).toList();
        Path upstream = Path.of("/run/systemd/resolve/resolv.conf");
        if (servers.equals(List.of("nameserver 127.0.0.53")) && Files.isRegularFile(upstream)) {
            servers = Files.readAllLines(upstream).stream().map(String::strip).filter(l -> l.startsWith("nameserver "))
                    .toList();
        }
        return servers.stream().map(l -> "nameserver " + l.split("\\s+")[1]).limit(3).toList();
    }
}
