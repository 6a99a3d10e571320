package dev.berth.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.BerthException;
import dev.berth.net.dns.ClusterDnsConfig;
import dev.berth.runtime.ExtraMount;
import dev.berth.runtime.SeccompProfile;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's /etc/hosts, /etc/resolv.conf and hostname, as the kubelet makes them. */
class PodEtcFilesTest {

    private static final String LOCALHOST = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            """;
    private static final String DOMAIN = ClusterDnsConfig.DEFAULT_DOMAIN;

    @TempDir
    Path dir;

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.35").endContainer().endSpec();
    }

    @Test
    void hostsMapsThePodNameToItsIpsAndTheLoopbackWhileItHasNone() {
        Pod web = pod("web").build();
        assertEquals(LOCALHOST + "10.88.0.5\tweb\nfd00::5\tweb\n",
                EtcHosts.managed(List.of("10.88.0.5", "fd00::5"), PodHostname.of(web, DOMAIN), List.of()));
        assertEquals(LOCALHOST + "127.0.1.1\tweb\n",
                EtcHosts.managed(List.of(), PodHostname.of(web, DOMAIN), List.of()));
    }

    @Test
    void hostsNamesTheFqdnFirstWithASubdomainThenTheAliases() {
        Pod pod = pod("web-0").editSpec().withHostname("db").withSubdomain("backend")
                .withHostAliases(new HostAlias(List.of("foo.local", "bar.local"), "123.45.67.89"),
                        new HostAlias(List.of("v6.local"), "fd00::1"))
                .endSpec().build();
        assertEquals(LOCALHOST + "10.88.0.5\tdb.backend.shop.svc.cluster.local\tdb\n"
                        + "\n# Entries added by HostAliases.\n123.45.67.89\tfoo.local\n123.45.67.89\tbar.local\n"
                        + "fd00::1\tv6.local\n",
                EtcHosts.managed(List.of("10.88.0.5"), PodHostname.of(pod, DOMAIN), pod.getSpec().getHostAliases()));
    }

    @Test
    void aHostNetworkPodGetsTheHostsFileUnderItsOwnHeaderWithTheAliases() {
        String host = "127.0.0.1 localhost\n192.168.1.4 node1\n";
        assertEquals("# Kubernetes-managed hosts file (host network).\n" + host
                        + "\n# Entries added by HostAliases.\n10.1.1.1\tdb.local\n",
                EtcHosts.hostNetwork(host, List.of(new HostAlias(List.of("db.local"), "10.1.1.1"))));
    }

    @Test
    void theHostnameIsSpecHostnameElseThePodNameCutTo63Characters() {
        assertEquals("web", PodHostname.of(pod("web").build(), DOMAIN).utsName());
        Pod db = pod("web").editSpec().withHostname("db").endSpec().build();
        assertEquals("db", PodHostname.of(db, DOMAIN).utsName());
        String longName = "a".repeat(62) + "-b";
        assertEquals("a".repeat(62), PodHostname.of(pod(longName).build(), DOMAIN).hostname(),
                "cut, then no trailing '-'");

        Pod fqdn = pod("web").editSpec().withSubdomain("front").withSetHostnameAsFQDN(true).endSpec().build();
        assertEquals("web.front.shop.svc.cluster.local", PodHostname.of(fqdn, DOMAIN).utsName());
        assertEquals("web.front.shop.svc.berth.internal", PodHostname.of(fqdn, "berth.internal").utsName(),
                "network.clusterDomain");
        Pod subdomain = pod("web").editSpec().withSubdomain("front").endSpec().build();
        assertEquals("web", PodHostname.of(subdomain, DOMAIN).utsName());
        Pod tooLong = pod("a".repeat(40)).editSpec().withSubdomain("front").withSetHostnameAsFQDN(true).endSpec()
                .build();
        assertThrows(BerthException.class, () -> PodHostname.of(tooLong, DOMAIN).utsName());
    }

    @Test
    void theHostsResolversAreSystemdResolvedsUpstreamsWhenResolvConfNamesOnlyItsStub() throws IOException {
        Path stub = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\noptions edns0\n");
        Path upstream = Files.writeString(dir.resolve("upstream.conf"), "nameserver 192.168.1.1\n");
        assertEquals(upstream, new PodEtcFiles.HostFiles(dir.resolve("hosts"), stub, upstream).resolvers());
        Path plain = Files.writeString(dir.resolve("plain.conf"), "nameserver 192.168.1.1\n");
        assertEquals(plain, new PodEtcFiles.HostFiles(dir.resolve("hosts"), plain, upstream).resolvers());
        assertEquals(stub, new PodEtcFiles.HostFiles(dir.resolve("hosts"), stub, dir.resolve("none")).resolvers(),
                "without systemd-resolved's file, the stub it is");
    }

    @Test
    void theFilesAreWrittenOnceReadableByThePodsUsersAndBoundUnlessTheContainerMountsItsOwn() throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost node\n");
        Path resolv = Files.writeString(dir.resolve("resolv"), "nameserver 10.0.0.2\n");
        PodEtcFiles files = new PodEtcFiles(new PodEtcFiles.HostFiles(hosts, resolv, dir.resolve("none")),
                new ClusterDnsConfig(List.of("10.88.0.1"), DOMAIN));
        Path podDir = Files.createDirectories(dir.resolve("pod"));
        files.write(pod("web").editSpec().withHostNetwork(true).endSpec().build(), podDir, List.of());
        assertEquals("# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost node\n",
                Files.readString(podDir.resolve("etc-hosts")));
        assertEquals("nameserver 10.0.0.2\n", Files.readString(podDir.resolve("resolv.conf")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(podDir.resolve("etc-hosts"))));

        files.write(pod("web").build(), podDir, List.of());
        assertTrue(Files.readString(podDir.resolve("etc-hosts")).contains("(host network)"), "kept from the start");
        Path other = Files.createDirectories(dir.resolve("other"));
        files.write(pod("db").build(), other, List.of("10.88.0.7"));
        assertEquals("search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.88.0.1\n"
                + "options ndots:5\n", Files.readString(other.resolve("resolv.conf")), "the cluster's DNS server");

        assertEquals(List.of(ExtraMount.bind(podDir.resolve("etc-hosts").toString(), "/etc/hosts", false),
                        ExtraMount.bind(podDir.resolve("resolv.conf").toString(), "/etc/resolv.conf", true)),
                PodEtcFiles.mounts(podDir, launch(true, List.of())));
        assertEquals(List.of(ExtraMount.bind(podDir.resolve("resolv.conf").toString(), "/etc/resolv.conf", false)),
                PodEtcFiles.mounts(podDir, launch(false, List.of(
                        new ContainerLaunch.VolumeMount("host-etc-hosts", "/etc/hosts", null, false)))));
    }

    private static ContainerLaunch launch(boolean readOnlyRootfs, List<ContainerLaunch.VolumeMount> volumes) {
        return new ContainerLaunch("main", "busybox:1.35", null, List.of("sh"), List.of(), "/",
                new ContainerUser(0, 0, List.of()), new ContainerLaunch.Security(false, readOnlyRootfs, false,
                List.of(), List.of(), SeccompProfile.RUNTIME_DEFAULT), null, volumes);
    }
}
