package dev.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.DirectoryTreeReader;
import dev.berth.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate refuses what would make a bad /etc/hosts, /etc/resolv.conf or hostname, at its file:line:column. */
class PodDnsChecksTest {

    @TempDir
    Path dir;

    private DesiredState load(String yaml) throws IOException {
        Files.writeString(dir.resolve("pod.yaml"), yaml);
        return new ManifestLoader().load(new DirectoryTreeReader(dir), "", null);
    }

    private List<String> errors(String yaml) {
        return assertThrows(InvalidInputException.class, () -> load(yaml)).getMessage().lines().toList();
    }

    @Test
    void badNamesAddressesAndListsAreErrorsAtTheirPlace() {
        List<String> errors = errors("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  hostname: Web_1
                  subdomain: a.b
                  dnsPolicy: Default
                  dnsConfig:
                    nameservers: [1.1.1.1, 2.2.2.2, 3.3.3.3, 1.2.3.c]
                    searches: [good.example, -bad-, "ok.trailing."]
                    options: [{value: "2"}]
                  hostAliases:
                    - ip: 10.1.2.300
                      hostnames: [foo.local, Not_A_Name]
                  containers: [{name: main, image: "busybox:1.35"}]
                """);
        assertEquals(List.of(
                "pod.yaml:5:3: field \"spec.hostname\" must be a DNS label: lowercase letters, digits and '-', at most"
                        + " 63 characters, starting and ending with a letter or digit; got \"Web_1\"",
                "pod.yaml:6:3: field \"spec.subdomain\" must be a DNS label: lowercase letters, digits and '-', at most"
                        + " 63 characters, starting and ending with a letter or digit; got \"a.b\"",
                "pod.yaml:9:5: at most 3 nameservers, got 4",
                "pod.yaml:9:46: \"1.2.3.c\" is not an IP address",
                "pod.yaml:10:30: search domain \"-bad-\" is not a DNS name (lowercase letters, digits, '-' and '.')",
                "pod.yaml:11:15: a DNS option needs a name",
                "pod.yaml:13:7: \"10.1.2.300\" is not an IP address",
                "pod.yaml:14:30: hostname \"Not_A_Name\" is not a DNS name (lowercase letters, digits, '-' and '.')"),
                errors);
    }

    @Test
    void dnsPolicyNoneNeedsANameserverAndOtherPoliciesAreRefused() {
        assertEquals(List.of("pod.yaml:5:3: dnsPolicy None needs at least one nameserver in dnsConfig.nameservers"),
                errors(pod("dnsPolicy: None")));
        assertEquals(List.of("pod.yaml:6:3: dnsPolicy None needs at least one nameserver in dnsConfig.nameservers"),
                errors(pod("dnsPolicy: None\n  dnsConfig: {searches: [a.example]}")));
        assertEquals(List.of("pod.yaml:5:3: dnsPolicy must be ClusterFirst, ClusterFirstWithHostNet, Default or None,"
                + " got \"Cluster\""), errors(pod("dnsPolicy: Cluster")));
    }

    @Test
    void tooManySearchDomainsAreRefused() {
        String many = String.join(", ", java.util.stream.IntStream.range(0, 33).mapToObj(i -> "d" + i).toList());
        assertEquals(List.of("pod.yaml:6:5: at most 32 search domains, got 33"),
                errors(pod("dnsConfig:\n    searches: [" + many + "]")));
        String wide = String.join(", ", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "a".repeat(200)).toList());
        assertEquals(List.of("pod.yaml:6:5: the search domains must be at most 2048 characters together, spaces"
                + " included"), errors(pod("dnsConfig:\n    searches: [" + wide + "]")));
    }

    /** What the kubelet accepts passes without a word: these fields are honoured now, no longer "ignored". */
    @Test
    void aFullValidSpecPassesWithoutWarnings() throws IOException {
        DesiredState state = load(pod("""
                hostname: db-0
                  subdomain: backend
                  setHostnameAsFQDN: true
                  dnsPolicy: None
                  dnsConfig:
                    nameservers: [1.1.1.1, "fd00::53"]
                    searches: [ns1.svc.cluster-domain.example, "."]
                    options: [{name: ndots, value: "2"}, {name: edns0}]
                  hostAliases:
                    - {ip: "127.0.0.1", hostnames: [foo.local, bar.local]}
                    - {ip: "::1", hostnames: [v6.local]}"""));
        assertEquals(List.of(), state.warnings());
    }

    private static String pod(String specLines) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  %s
                  containers: [{name: main, image: "busybox:1.35"}]
                """.formatted(specLines);
    }
}
